"""The web console (`/console/`): the same use cases as the JSON API, server-rendered for people in
a browser — Chinese first, English on request, readable without JavaScript. Sessions come from a
login with the organisation's client credentials or a person's account; every form carries a
CSRF token; the same access declarations and guard as the API decide who may open a page."""
