"""The problem-document catalogue: every title and every sentence the service writes, in
English and Chinese (service.problem_text looks them up; tests/unit/test_problem_text.py
fails on a refusal sentence in the code that is missing here).

A sentence with parameters is a template: `{name}` stands for a value carried over unchanged;
`{{` and `}}` are literal braces.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "OTHER_TITLE", "TITLES"]

TITLES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "请求有误"),
    401: ("Unauthorized", "未通过身份认证"),
    403: ("Forbidden", "无权执行此操作"),
    404: ("Not found", "未找到"),
    405: ("Method not allowed", "不允许的请求方法"),
    409: ("Conflict", "与当前状态冲突"),
    413: ("Request body too large", "请求体过大"),
    415: ("Unsupported media type", "不支持的媒体类型"),
    422: ("Validation failed", "校验未通过"),
    429: ("Too many requests", "请求过于频繁"),
    500: ("Internal server error", "服务器内部错误"),
    503: ("Service unavailable", "服务暂不可用"),
}
"""English and Chinese `title` by status (RFC 9457 §3.1.3: the title is fixed per type)."""
OTHER_TITLE = ("Error", "错误")

# (English, Chinese). Grouped by where the sentence is written; order does not matter
# (the most specific template is tried first).
MESSAGES: tuple[tuple[str, str], ...] = (
    # service/errors.py and the framework's own refusals
    ("Invalid value in {names}.", "{names} 的值无效。"),
    ("No such resource.", "没有这个资源。"),
    ("The body is not valid JSON.", "请求体不是有效的 JSON。"),
    (
        "A text value in the request holds the character U+0000 (NUL), which is not accepted.",
        "请求中的文本值含有字符 U+0000（NUL），不予接受。",
    ),
    ("An unexpected error occurred; it has been logged.", "发生意外错误，已记入日志。"),
    ("The JSON body is nested too deeply.", "JSON 请求体嵌套层数过多。"),
    ("Method Not Allowed", "不允许此请求方法。"),
    ("Request Entity Too Large", "请求体过大。"),
    ("Bad Request", "请求有误。"),
    ("Unsupported Media Type", "不支持的媒体类型。"),
    ("Invalid host header", "Host 请求头无效。"),
    ("Invalid multipart/form-data", "multipart/form-data 内容无效。"),
    ("Unexpected eof in multipart/form-data", "multipart/form-data 内容意外结束。"),
    ("Missing required {kind} parameter {name} for path {path}", "路径 {path} 缺少必需的 {kind} 参数 {name}"),
    ("invalid value", "无效的值"),
    # msgspec's validation messages (errors[].detail)
    ("Expected `{expected}`, got `{got}`", "应为 `{expected}`，实际为 `{got}`"),
    ("Expected `{kind}`", "应为 `{kind}`"),
    ("Expected `{kind}` with a timezone component", "`{kind}` 须带时区"),
    ("Expected `{kind}` with no timezone component", "`{kind}` 不得带时区"),
    ("Expected `{kind}` of length >= {n}", "`{kind}` 的长度须 >= {n}"),
    ("Expected `{kind}` of length <= {n}", "`{kind}` 的长度须 <= {n}"),
    ("Expected `{kind}` of length {n}", "`{kind}` 的长度须为 {n}"),
    ("Expected `{kind}` of length {low} to {high}", "`{kind}` 的长度须为 {low} 至 {high}"),
    ("Expected `{kind}` of at least length {n}, got {got}", "`{kind}` 的长度至少为 {n}，实际为 {got}"),
    ("Expected `{kind}` of at most length {n}, got {got}", "`{kind}` 的长度至多为 {n}，实际为 {got}"),
    ("Expected `{kind}` >= {n}", "应为 >= {n} 的 `{kind}`"),
    ("Expected `{kind}` <= {n}", "应为 <= {n} 的 `{kind}`"),
    ("Expected `{kind}` > {n}", "应为 > {n} 的 `{kind}`"),
    ("Expected `{kind}` < {n}", "应为 < {n} 的 `{kind}`"),
    ("Expected `{kind}` that's a multiple of {n}", "应为 {n} 的倍数（`{kind}`）"),
    ("Expected `str` matching regex {regex}", "`str` 须匹配正则表达式 {regex}"),
    ("Expected a hashable value, got `{got}`", "应为可哈希的值，实际为 `{got}`"),
    ("Object missing required field `{name}`", "缺少必填字段 `{name}`"),
    ("a value is required", "必须给出值"),
    ("Object contains unknown field `{name}`", "含有未知字段 `{name}`"),
    ("Invalid enum value {value}", "无效的枚举值 {value}"),
    ("Invalid value {value}", "无效的值 {value}"),
    ("Invalid RFC3339 encoded datetime", "无效的 RFC 3339 日期时间"),
    ("Invalid RFC3339 encoded date", "无效的 RFC 3339 日期"),
    ("Invalid RFC3339 encoded time", "无效的 RFC 3339 时间"),
    ("Invalid ISO8601 duration", "无效的 ISO 8601 时长"),
    ("Invalid UUID", "无效的 UUID"),
    ("Invalid base64 encoded string", "无效的 base64 编码字符串"),
    ("Invalid decimal string", "无效的十进制数字符串"),
    ("Invalid epoch timestamp", "无效的纪元时间戳"),
    ("Invalid UTF-8 encoded string", "无效的 UTF-8 编码字符串"),
    # service/auth: tokens, access, the token endpoint
    ("A bearer access token is required.", "需要 Bearer 访问令牌。"),
    ("This operation declares no callers.", "此操作未声明可调用方。"),
    ("Too many requests from this client; retry in {wait} s.", "该客户端请求过于频繁，请在 {wait} 秒后重试。"),
    ("Too many requests; retry in {wait} s.", "请求过于频繁，请在 {wait} 秒后重试。"),
    ("Too many failed attempts; retry in {wait} s.", "失败尝试过多，请在 {wait} 秒后重试。"),
    ("Organisations of kind {kind} may not call this.", "{kind} 类机构无权调用此操作。"),
    ("The registration awaits a regulator's approval.", "注册尚待监管部门审批。"),
    ("Client authentication failed.", "客户端认证失败。"),
    ("not an access token of this service", "不是本服务签发的访问令牌"),
    ("the token has expired", "令牌已过期"),
    ("the token is invalid", "令牌无效"),
    ("the token's claims are malformed", "令牌的声明格式有误"),
    ("the client is unknown, revoked or its secret was rotated", "客户端不存在、已吊销，或其密钥已轮换"),
    ("the organisation is {status}", "机构状态为 {status}"),
    # service/api: pagination, health, certificates, published documents, banks, ratings
    ("The cursor is not one this API issued.", "该游标不是本 API 签发的。"),
    ("not a valid cursor", "不是有效的游标"),
    ("The database is unreachable ({error}).", "无法连接数据库（{error}）。"),
    ("The database schema is at {current}, the code at {head}.", "数据库结构版本为 {current}，代码版本为 {head}。"),
    ("Certificates cannot be rendered: {hint}", "无法生成证书：{hint}"),
    (
        "no usable CJK TrueType font: the package's own font (service/pdf/fontdata) is missing and "
        "CARBON_CJK_FONT names no .ttf/.ttc file with Chinese and Latin glyphs (e.g. Debian's "
        "fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc)",
        "没有可用的中文 TrueType 字体：程序包自带的字体（service/pdf/fontdata）缺失，且 CARBON_CJK_FONT "
        "未指向含中文和拉丁字形的 .ttf/.ttc 文件（例如 Debian 的 fonts-wqy-microhei："
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc）",
    ),
    (
        "The certificate is being rendered after its round ({ahead} in the queue): retry in about {wait} s.",
        "证书正在评级轮次之后生成（队列中有 {ahead} 份）：请约 {wait} 秒后重试。",
    ),
    (
        "This rating has no certificate: its rendering failed or it was never queued.",
        "该评级没有证书：证书生成失败，或从未排入生成队列。",
    ),
    ("No certificate has this number.", "没有这个编号的证书。"),
    ("No methodology version {version}; versions: {versions}.", "没有方法学版本 {version}；现有版本：{versions}。"),
    (
        "give exactly one of equity_plus_debt_yuan, evic_yuan",
        "equity_plus_debt_yuan 与 evic_yuan 须给出且只给出一个",
    ),
    ("give exactly one of token, certificate_no", "token 与 certificate_no 须给出且只给出一个"),
    # service/idempotency.py, service/db/unavailable.py
    ("Idempotency-Key must be 1 to 200 characters.", "Idempotency-Key 须为 1 至 200 个字符。"),
    ("length must be 1 to 200", "长度须为 1 至 200"),
    (
        "This Idempotency-Key was used with another request; use a new key for a new request.",
        "此 Idempotency-Key 已用于另一个请求；新的请求请使用新的键。",
    ),
    ("already used with a different body", "已用于请求体不同的请求"),
    ("A request with this key is still in progress.", "使用此键的请求仍在处理中。"),
    (
        "The database is briefly unavailable; nothing was written. Retry after a moment.",
        "数据库暂时不可用，未写入任何内容。请稍后重试。",
    ),
    # service/imports and domain/filing_import.py: the bulk import
    ("Send the file as {xlsx} or text/csv (got {media}).", "请以 {xlsx} 或 text/csv 发送文件（收到的是 {media}）。"),
    ("An import file may hold at most {limit} bytes.", "导入文件最多 {limit} 字节。"),
    (
        "The body is empty: send the workbook or csv file as the body.",
        "请求体为空：请将工作簿或 csv 文件作为请求体发送。",
    ),
    (
        "The file has {count} problem(s); nothing was written. Each is named by sheet and cell.",
        "文件有 {count} 处问题，未写入任何内容。每处问题均注明工作表和单元格。",
    ),
    (
        "The csv file's first row needs a column 表 sheet naming each row's sheet.",
        "csv 文件的第一行须有一列“表 sheet”，注明每一行所属的工作表。",
    ),
    (
        "The file is not a readable .xlsx workbook (not a zip archive).",
        "该文件不是可读取的 .xlsx 工作簿（不是 zip 压缩包）。",
    ),
    ("The workbook holds {parts} parts; at most 1000 are read.", "工作簿含 {parts} 个部件，最多读取 1000 个。"),
    (
        "The workbook inflates to {total} bytes; at most {limit} are read.",
        "工作簿解压后为 {total} 字节，最多读取 {limit} 字节。",
    ),
    (
        "Part {name} inflates {ratio}×: refused as a zip bomb.",
        "部件 {name} 解压后膨胀 {ratio} 倍：视为 zip 炸弹，拒绝读取。",
    ),
    ("The workbook cannot be read: {error}.", "无法读取工作簿：{error}。"),
    ("No sheet of the template ({names}) is in the workbook.", "工作簿中没有模板的任何一张工作表（{names}）。"),
    ("The csv file is empty.", "csv 文件为空。"),
    ("The csv file is neither UTF-8 nor GB 18030 text.", "csv 文件既不是 UTF-8 文本，也不是 GB 18030 文本。"),
    ("The csv file cannot be read: {error}.", "无法读取 csv 文件：{error}。"),
    ("unknown column {name}", "未知的列 {name}"),
    ("column {name} repeated", "列 {name} 重复"),
    ("required column {name} is missing", "缺少必需的列 {name}"),
    ("{column} is required", "{column} 为必填项"),
    ("this column is not on {sheet}", "此列不属于工作表 {sheet}"),
    ("{uscc} {period} is already on row {row}", "{uscc} {period} 已在第 {row} 行"),
    ("the file holds no filing: each needs its row on 填报", "文件中没有填报：每份填报须在“填报”表中有一行"),
    ("{count} filings: at most {limit} in one file", "{count} 份填报：一个文件最多 {limit} 份"),
    ("{uscc} {period} has no row on 填报", "{uscc} {period} 在“填报”表中没有对应的行"),
    ("{value} is not one of {choices}", "{value} 不是 {choices} 之一"),
    ("{value} is not a whole number", "{value} 不是整数"),
    ("must be {low} to {high}", "须为 {low} 至 {high}"),
    ("{value} is not 是/否 (true/false)", "{value} 不是“是/否”（true/false）"),
    ("a number is expected, not a true/false value", "应为数字，而不是 true/false 值"),
    ("{value} is not a number", "{value} 不是数字"),
    ("{value} is not a finite number", "{value} 不是有限数值"),
    ("longer than 200 characters", "超过 200 个字符"),
    ("write attributes as name=value; name=value", "属性请写作 name=value; name=value"),
    ("more than {limit} rows; split the file", "超过 {limit} 行；请拆分文件"),
    ("no sheet {name}", "没有工作表 {name}"),
    # domain: enterprises, places, industries, products
    (
        "{code} is not a Zibo county-level division (3703xx): {codes}",
        "{code} 不是淄博市的县级行政区划（3703xx）：{codes}",
    ),
    ("{code} is not a Zibo functional zone: {codes}", "{code} 不是淄博市的功能区：{codes}"),
    (
        "{code} is not a GB/T 4754-2017 class (4 digits, e.g. 3011 水泥制造)",
        "{code} 不是 GB/T 4754-2017 的小类（4 位数字，例如 3011 水泥制造）",
    ),
    (
        "{code} is not a recognised product code (GET /v1/benchmark-editions lists them)",
        "{code} 不是可识别的产品代码（GET /v1/benchmark-editions 列出全部代码）",
    ),
    ("must be 18 characters, got {length}", "须为 18 个字符，实际为 {length} 个"),
    ("characters {chars} are not in the GB 32100-2015 character set", "字符 {chars} 不在 GB 32100-2015 的字符集中"),
    (
        "characters 3-8 must be a GB/T 2260 administrative-division code",
        "第 3-8 位须为 GB/T 2260 行政区划代码",
    ),
    (
        "the organisation code (characters 9-17) fails its GB 11714 check character",
        "组织机构代码（第 9-17 位）未通过 GB 11714 校验码检验",
    ),
    ("the check character (position 18) does not match GB 32100-2015", "校验码（第 18 位）与 GB 32100-2015 不符"),
    ("An enterprise with USCC {uscc} is already registered.", "统一社会信用代码为 {uscc} 的企业已注册。"),
    ("No such enterprise.", "没有这家企业。"),
    (
        "the registration is already {status}; only a pending one can be decided",
        "该注册已是 {status}；只有待审批的注册可以作出决定",
    ),
    # domain: units, steam, factors, accounting
    (
        "{unit} does not fit a {state} carrier; use one of {units}",
        "{unit} 不适用于状态为 {state} 的能源品种；请使用以下之一：{units}",
    ),
    ("saturation is defined from 273.15 K to 647.096 K", "饱和状态仅在 273.15 K 至 647.096 K 之间有定义"),
    ("absolute pressure must be above 0 and at most 100 MPa", "绝对压力须大于 0 且不超过 100 MPa"),
    ("temperature must be from 0 °C to 800 °C", "温度须在 0 °C 至 800 °C 之间"),
    (
        "the state lies in IF97 region 3 (near the critical point), which is not supported; "
        "file the steam's enthalpy instead",
        "该状态位于 IF97 第 3 区（临界点附近），不予支持；请改为填报蒸汽的焓值",
    ),
    (
        "{pressure} MPa is the saturation pressure at {temperature} °C, where the enthalpy of wet steam "
        "is undetermined; file the steam's enthalpy, or a superheated or subcooled state",
        "{pressure} MPa 是 {temperature} °C 下的饱和压力，此时湿蒸汽的焓值无法确定；请填报蒸汽的焓值，或过热、过冷状态",
    ),
    ("must be a finite number", "须为有限数值"),
    ("must be greater than zero", "须大于零"),
    ("must not be negative", "不得为负"),
    ("must be less than {limit} in size", "绝对值须小于 {limit}"),
    ("has more than {places} decimal places", "小数位多于 {places} 位"),
    ("is a fraction: {bounds}", "是比例：{bounds}"),
    ("expected {units}, got {unit}", "应为 {units}，实际为 {unit}"),
    (
        "needs an ncv or a coal_equivalent, or its energy cannot be counted",
        "须有 ncv 或 coal_equivalent，否则无法计算其能耗",
    ),
    ("a factor set needs at least one carrier", "因子集至少须有一个能源品种"),
    ("an oxidation rate is a fraction, at most 1", "碳氧化率是比例，最大为 1"),
    ("{code} appears twice", "{code} 出现了两次"),
    (
        "steam in tonnes needs its pressure (MPa, absolute) and temperature",
        "以吨计的蒸汽须给出压力（MPa，绝对压力）和温度",
    ),
    (
        "steam in tonnes needs its pressure (MPa, absolute) and temperature (°C)",
        "以吨计的蒸汽须给出压力（MPa，绝对压力）和温度（°C）",
    ),
    ("{carrier} is not a carrier of the {year} set", "{carrier} 不是 {year} 年因子集中的能源品种"),
    ("{carrier} is not a carrier of the {year} set ({known})", "{carrier} 不是 {year} 年因子集中的能源品种（{known}）"),
    (
        "the factor set has no NCV or coefficient for {code}; file the NCV",
        "因子集中没有 {code} 的低位发热量或折标系数；请填报低位发热量",
    ),
    ("{carbonate} is not a carbonate of the {year} set", "{carbonate} 不是 {year} 年因子集中的碳酸盐"),
    ("{carbonate} is not a known carbonate ({known})", "{carbonate} 不是已知的碳酸盐（{known}）"),
    ("cannot exceed the electricity purchased", "不得超过外购电量"),
    ("value added (万元) is required to submit a filing", "提交填报须填写增加值（万元）"),
    ("{unit} does not fit {carrier} ({state}); use {units}", "{unit} 不适用于 {carrier}（{state}）；请使用 {units}"),
    ("{product} takes no attribute {name} (allowed: {allowed})", "{product} 没有属性 {name}（允许的属性：{allowed}）"),
    ("{product} ({unit}) takes its energy in {units}", "{product}（{unit}）的能耗须以 {units} 计"),
    ("the non-carbonate part cannot exceed the total", "非碳酸盐部分不得超过总量"),
    ("a measured value must be greater than zero", "实测值须大于零"),
    ("no default {name} for {carrier}; file the measured value", "{carrier} 没有 {name} 的缺省值；请填报实测值"),
    ("a mass fraction applies to solid and liquid fuels only", "质量分数仅适用于固体和液体燃料"),
    # domain: the process families (issue 16)
    ("the factor set has no default {code}; file the measured value", "因子集没有 {code} 的缺省值；请填报实测值"),
    (
        "the {year} factor set has no GWP for {gas}; load a set with a GWP table",
        "{year} 年因子集没有 {gas} 的全球变暖潜势；请加载含 GWP 表的因子集",
    ),
    ("the default for {material} is in {unit}, not {expected}", "{material} 的缺省值以 {unit} 计，不是 {expected}"),
    ("no default N2O factor for {process}; file it", "{process} 没有 N2O 生成因子缺省值；请填报"),
    ("the power supplied must be greater than zero", "供电量须大于零"),
    ("the {year} factor set has no national coal-power level", "{year} 年因子集没有全国煤电供电煤耗水平"),
    (
        "no default factor for {material}; file the measured value (tCO2/t)",
        "{material} 没有排放因子缺省值；请填报实测值（tCO2/t）",
    ),
    (
        "{gas} is made on site ({line}): its carbon is counted in the coke and coal that made it; "
        "file only bought-in gas as energy, or file it as byproduct_gases",
        "{gas} 为本厂自产（{line}）：其碳已计入生产它的焦炭和煤；能源中只填报外购部分，自产煤气填入 byproduct_gases",
    ),
    (
        "a code of lower-case letters, digits and _ (at most 40), e.g. coke_oven",
        "须为小写字母、数字和 _ 组成的代码（至多 40 个），如 coke_oven",
    ),
    ("{gas} is filed twice; one line a gas", "{gas} 填报了两次；每种煤气一行"),
    ("{unit} does not fit a gas; use one of {units}", "{unit} 不适用于气体；请使用 {units} 之一"),
    ("burnt on site plus exported cannot exceed what was produced", "自用量加外供量不得超过产生量"),
    ("sulphur plus ash must be less than the whole anode", "含硫量加灰分须小于整个阳极"),
    ("coal for heat needs the heat supplied", "填报供热耗标煤须同时填报供热量"),
    ("the family must be one of {families}", "类别须为 {families} 之一"),
    ("a fraction is at most 1", "比例至多为 1"),
    # domain and service: reference data, benchmarks
    ("No such factor set.", "没有这个因子集。"),
    (
        "No factor set holds the accounting year {year}; the rating authority loads one.",
        "没有包含核算年度 {year} 的因子集；须由评级机构加载。",
    ),
    ("No such benchmark edition.", "没有这个基准版本。"),
    ("No such reference-intensity set.", "没有这个参考强度数据集。"),
    (
        "The same reference intensities are version {version} of {year} ({id}); a new version must differ.",
        "与 {year} 年版本 {version}（{id}）的参考强度相同；新版本须有所不同。",
    ),
    # domain and service: policy sets (政策集成)
    ("No such policy set.", "没有这个政策集。"),
    (
        "The same policy set is version {version} ({id}); a new version must differ.",
        "与政策集版本 {version}（{id}）相同；新版本须有所不同。",
    ),
    ("No submitted filing for {year}: no policy sheet.", "{year} 年没有已提交的填报：没有政策清单。"),
    # service/policy/plans.py: retrofit plans (改造方案)
    (
        "no submitted filing for {year}: a plan answers an account below 基准",
        "{year} 年没有已提交的填报：改造方案针对低于基准水平的核算",
    ),
    ("the {year} account has no {product}", "{year} 年的核算中没有 {product}"),
    (
        "the {year} account shows {product} {levels}: a plan is for a product below 基准",
        "{product} 在 {year} 年的核算中为 {levels}：改造方案只针对低于基准水平的产品",
    ),
    (
        "the target {target} is above the product's 基准, {baseline} {unit}: the plan's target must reach 基准 at least",
        "目标 {target} 高于该产品的基准水平 {baseline} {unit}：方案目标至少须达到基准水平",
    ),
    (
        "plan {plan} for {product} is still submitted; a regulator decides it first",
        "{product} 的改造方案 {plan} 尚待审核；须由监管部门先作决定",
    ),
    ("No such retrofit plan.", "没有这个改造方案。"),
    ("the retrofit plan is already {status}", "该改造方案已是 {status}"),
    ("must be a year from 2000 to 2100", "须为 2000 至 2100 之间的年份"),
    ('a fractional number travels as a decimal string (e.g. "0.05")', '带小数的数字须写成十进制字符串（例如 "0.05"）'),
    # financing requests
    ("name at least one bank", "至少指明一家银行"),
    ("at most {n} banks per request", "每笔申请最多发往 {n} 家银行"),
    ("a bank is named twice", "同一家银行被指明了两次"),
    ("the request was already answered ({status}): an answer is final", "该申请已有答复（{status}）：最终答复不可更改"),
    ("from {status} the answer is one of {allowed}", "当前为 {status}，答复只能是 {allowed} 之一"),
    ("an approval states the amount and the rate", "批准须给出金额和利率"),
    ("more than the {amount} yuan requested", "超过申请的 {amount} 元"),
    ("only an approval has terms", "只有批准才带有条件"),
    ("a decline says why", "拒绝须说明原因"),
    ("must be more than 0", "须大于 0"),
    ("say what the money is for", "请说明资金的用途"),
    ("the financing request is closed ({reason})", "该融资申请已关闭（{reason}）"),
    ("is not a product of that bank", "不是该银行的产品"),
    ("is valid {start} to {end}", "有效期为 {start} 至 {end}"),
    ("No such financing request.", "没有这笔融资申请。"),
    ("a returned plan needs a reason: what the enterprise must change", "退回方案须说明理由：企业须修改什么"),
    # domain/finance/products.py, service/finance/products.py: finance products (金融产品)
    ("must not be before valid_from", "不得早于 valid_from"),
    ("unknown {unknown}; one of {allowed}", "未知的 {unknown}；可用的有 {allowed}"),
    ("No such finance product.", "没有这个金融产品。"),
    (
        "The same product is version {version} of {code} ({id}); a new version must differ.",
        "与产品 {code} 的版本 {version}（{id}）相同；新版本须有所不同。",
    ),
    ("must be a number, got {value}", "须为数值，收到的是 {value}"),
    ("{fact} is not a {scope} fact: one of {facts}", "{fact} 不是{scope}范围的事实项：可用的有 {facts}"),
    ("{op} needs a number or a date; {fact} is a {kind}", "{op} 需要数值或日期；{fact} 的类型是 {kind}"),
    (
        "contains_any / contains_none are for the list fact consequences only",
        "contains_any / contains_none 只用于列表事实项 consequences",
    ),
    ("a list needs op in, not_in or contains_any, not {op}", "列表值须用 in、not_in 或 contains_any，而不是 {op}"),
    ("{value} is not a date (YYYY-MM-DD)", "{value} 不是日期（YYYY-MM-DD）"),
    ("a date (YYYY-MM-DD) is required for this kind", "此类后果须给出日期（YYYY-MM-DD）"),
    (
        "a tiered surcharge is by a product's unit energy use: scope product",
        "阶梯加价按产品单位能耗计：scope 须为 product",
    ),
    ("down (full steps only) or up (a part counts whole)", "down（只计满档）或 up（不足一档按一档计）"),
    ("flat or tiered", "flat 或 tiered"),
    (
        "product (the product line's own kWh) or enterprise (all filed)",
        "product（该产品线自身的用电量）或 enterprise（填报的全部用电量）",
    ),
    ("product electricity needs scope product", "按产品用电量计须 scope 为 product"),
    ("is before effective_from", "早于 effective_from"),
    ("an edition needs at least one row", "一个版本至少须有一行"),
    (
        "{product} is measured as {indicator} in {unit}, not {given}",
        "{product} 以 {indicator} 计量，单位为 {unit}，而不是 {given}",
    ),
    ("标杆 must not exceed 基准 (lower is better)", "标杆值不得超过基准值（越低越好）"),
    ("{product} has no attribute {name}", "{product} 没有属性 {name}"),
    ("give finite bounds (gt, ge, lt, le)", "请给出有限的界限（gt、ge、lt、le）"),
    ("{product} already has a row", "{product} 已有一行"),
    (
        "a row whose levels were not read is UNCONFIRMED; give it levels",
        "未读取到等级值的行须标为 UNCONFIRMED；否则请给出其等级值",
    ),
    ("{industry} is covered already: no rule is needed", "{industry} 已被覆盖：无需规则"),
    ("name at least one product", "至少指明一个产品"),
    # filings
    ("No such filing.", "没有这份填报。"),
    (
        "no factor set holds {period}; file a year the platform accounts",
        "没有包含 {period} 年的因子集；请填报本平台核算的年份",
    ),
    ("no factor set holds {period}", "没有包含 {period} 年的因子集"),
    (
        "the filing is {status}; submitted data is never edited, file a correction",
        "该填报状态为 {status}；已提交的数据不会被修改，请提交更正",
    ),
    ("the filing is already {status}; only a draft can be submitted", "该填报已是 {status}；只有草稿可以提交"),
    ("the filing is a draft; only a submitted filing can be verified", "该填报是草稿；只有已提交的填报可以核查"),
    ("the filing is already {status}", "该填报已是 {status}"),
    (
        "{period} already has a draft; edit it (PUT /v1/filings/{{id}}) or submit it first",
        "{period} 已有草稿；请先修改（PUT /v1/filings/{{id}}）或提交该草稿",
    ),
    (
        "{period} already has version {latest}; a correction names it in `supersedes`",
        "{period} 已有版本 {latest}；更正须在 `supersedes` 中注明该版本",
    ),
    (
        "a correction supersedes the latest version of {period}, which is {latest}",
        "更正须取代 {period} 的最新版本，即 {latest}",
    ),
    ("{period} has no filing yet; a first filing supersedes nothing", "{period} 尚无填报；首次填报不取代任何版本"),
    # verifiers, consents, banks (PCAF)
    ("{name} is already engaged", "{name} 已受委托"),
    (
        "is not an active verifier organisation (GET /v1/verifiers lists them)",
        "不是在册的核查机构（GET /v1/verifiers 列出全部核查机构）",
    ),
    ("is not an active bank (GET /v1/banks lists them)", "不是在册的银行（GET /v1/banks 列出全部银行）"),
    ("give a time zone (e.g. 2026-12-31T23:59:59+08:00)", "请给出时区（例如 2026-12-31T23:59:59+08:00）"),
    ("must be in the future", "须为将来的时间"),
    ("at most {days} days ahead", "最多为 {days} 天之后"),
    ("No such consent.", "没有这项授权。"),
    ("the consent is already withdrawn", "该授权已撤回"),
    ("must be a non-negative amount", "须为非负金额"),
    ("must be a positive amount", "须为正数金额"),
    (
        "the attribution factor {factor} is above 1: the loan exceeds the borrower's equity plus debt",
        "归因因子 {factor} 大于 1：贷款超过了借款人的权益与债务之和",
    ),
    # organisations and clients
    (
        "Admins manage the clients of banks and verifiers only, not of a {kind}.",
        "管理员只管理银行和核查机构的客户端，不管理 {kind} 的客户端。",
    ),
    ("No such organisation.", "没有这个机构。"),
    ("No such client.", "没有这个客户端。"),
    ("A revoked client cannot be rotated; create a new client.", "已吊销的客户端不能轮换密钥；请新建客户端。"),
    # the console's people (service/console/people.py)
    ("The username {username} is already taken.", "用户名 {username} 已被占用。"),
    ("No such console user.", "没有这个控制台用户。"),
    # ratings, rounds, objections
    ("No such rating.", "没有这个评级。"),
    ("No such rating round.", "没有这个评级轮次。"),
    ("No rating for this enterprise yet.", "该企业尚无评级。"),
    ("the rating is already revoked", "该评级已撤销"),
    (
        "round {running} for {year} is still running; two rounds for one year cannot run at once",
        "{year} 年的轮次 {running} 仍在运行；同一年份不能同时运行两个轮次",
    ),
    ("a round for {year} is already running", "{year} 年已有一个轮次正在运行"),
    ("no methodology version {version}; published: {versions}", "没有方法学版本 {version}；已发布的版本：{versions}"),
    ("no factor set holds {year}", "没有包含 {year} 年的因子集"),
    (
        "objection {objection} on this rating is still open; the rating authority decides it first",
        "该评级的异议 {objection} 尚未处理；须由评级机构先作决定",
    ),
    ("No such objection.", "没有这项异议。"),
    ("the objection is already {status}", "该异议已是 {status}"),
    ("no objection with this id was made to this rating", "该评级没有这个编号的异议"),
    (
        "the objection is {status}; only an upheld objection grounds a re-rating",
        "该异议状态为 {status}；只有成立的异议才能作为重新评级的依据",
    ),
    ("the rating is {status}; only an active rating is re-rated", "该评级状态为 {status}；只有有效的评级可以重新评级"),
    (
        "the enterprise has no submitted or verified filing for {year} to re-rate",
        "该企业没有 {year} 年已提交或已核查的填报，无法重新评级",
    ),
    # disclosures (披露)
    ("No such disclosure.", "没有这份披露记录。"),
    ("the disclosure is already withheld", "该披露记录已暂缓公开"),
    ("the disclosure is not withheld", "该披露记录未暂缓公开"),
    # certificate seals
    (
        "is {size} bytes; a seal may have at most {limit} (512 KiB)",
        "大小为 {size} 字节；印章图片最多 {limit} 字节（512 KiB）",
    ),
    (
        "is not a PNG image (the file does not start with the PNG signature)",
        "不是 PNG 图片（文件开头没有 PNG 签名）",
    ),
    ("cannot be read as a PNG image ({error})", "无法作为 PNG 图片读取（{error}）"),
    (
        "is {width}x{height} pixels; each side must be {low} to {high}",
        "为 {width}x{height} 像素；每边须为 {low} 至 {high} 像素",
    ),
    # webhooks
    ("must be https", "须为 https"),
    ("must name a host, without credentials", "须指明主机，且不得含凭据"),
    ("has an invalid port", "端口无效"),
    ("is not a URL a request can be sent to ({error})", "不是可以发送请求的 URL（{error}）"),
    ("{host} does not resolve", "{host} 无法解析"),
    (
        "{host} resolves to a private, loopback or link-local address ({addresses})",
        "{host} 解析为私有、环回或链路本地地址（{addresses}）",
    ),
    ("name at least one event", "至少指明一个事件"),
    ("No such webhook.", "没有这个 webhook。"),
    ("No such delivery.", "没有这次投递。"),
    (
        "the delivery is pending: it will be attempted at next_attempt_at",
        "该投递尚待发送：将在 next_attempt_at 所示时间尝试",
    ),
)
