# The API image. Migrations run from the same image as a one-shot service (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# No apt font: the package ships its certificates' CJK font (service/pdf/fontdata).
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY domain ./domain
COPY scoring ./scoring
COPY service ./service
COPY migrations ./migrations
RUN pip install --no-cache-dir .
RUN useradd --system --uid 10001 carbon
USER carbon
EXPOSE 8000
CMD ["carbon-account", "serve", "--host", "0.0.0.0", "--port", "8000"]
