"""The console's words in Chinese (first) and English: one table, one lookup. The language is the
`console_lang` cookie's (set by /console/lang), Chinese by default."""

from __future__ import annotations

from typing import Any

__all__ = ["LANGS", "WORDS", "language", "words"]

LANGS = ("zh", "en")
WORDS: dict[str, tuple[str, str]] = {
    "title": ("淄博碳账户与绿色金融平台", "Zibo carbon account and green finance"),
    "skip": ("跳到正文", "Skip to content"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "login_client": ("以机构客户端凭据登录", "Log in with your organisation's client credentials"),
    "login_person": ("以个人账户登录", "Log in with a personal account"),
    "client_id": ("客户端 ID", "Client ID"),
    "client_secret": ("客户端密钥", "Client secret"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_failed": ("凭据无效，或账户已停用。", "The credentials are not valid, or the account is disabled."),
    "login_locked": ("失败次数过多，请 {wait} 秒后再试。", "Too many failed attempts; try again in {wait} s."),
    "switch": ("English", "中文"),
    "year": ("年度", "Year"),
    "show": ("显示", "Show"),
    "city": ("全市概览", "The city at a glance"),
    "colours_by_district": ("各区县评价颜色分布", "Rating colours by district"),
    "district": ("区县", "District"),
    "total": ("合计", "Total"),
    "csv": ("下载 CSV", "Download CSV"),
    "chart_table": ("图表数据", "The chart's table"),
    "registrations": ("待审批注册", "Pending registrations"),
    "approve": ("批准", "Approve"),
    "reject": ("驳回", "Reject"),
    "approved": ("已批准 {uscc}", "Approved {uscc}"),
    "none_pending": ("没有待审批的注册。", "No registration is pending."),
    "name": ("名称", "Name"),
    "industry": ("行业代码", "Industry"),
    "borrowers": ("授权借款企业", "Borrowers under consent"),
    "scope": ("授权范围", "Scope"),
    "colour": ("颜色", "Colour"),
    "grade": ("等级", "Grade"),
    "expires": ("授权到期", "Consent ends"),
    "none_borrowers": ("尚无企业授权贵行。", "No enterprise has given your bank a consent."),
    "account": ("碳账户", "Carbon account"),
    "emissions": ("排放（吨二氧化碳）", "Emissions (tCO2)"),
    "energy": ("综合能耗（吨标准煤）", "Energy (tce)"),
    "products": ("产品单位能耗与标杆、基准水平", "Unit energy use against 标杆 and 基准"),
    "product": ("产品", "Product"),
    "unit_energy": ("单位能耗", "Unit energy use"),
    "benchmark": ("标杆水平", "Benchmark (标杆)"),
    "baseline": ("基准水平", "Baseline (基准)"),
    "level": ("水平", "Level"),
    "rating": ("评价", "Rating"),
    "no_rating": ("本年度尚未评价。", "Not rated for this year yet."),
    "no_filing": ("本年度尚无已提交的填报。", "No submitted filing for this year."),
    "policy": ("政策后果", "Policy consequences"),
    "certificate": ("下载证书", "Download the certificate"),
    "forbidden": ("无权打开此页面。", "You may not open this page."),
    "not_found": ("没有这个页面。", "No such page."),
    "csrf": ("表单已过期，请返回重试。", "The form has expired; go back and try again."),
    "error": ("出错了", "Something went wrong"),
    "back": ("返回首页", "Back to the start"),
    "source": ("来源", "Source"),
    "scope1": ("范围一（直接排放）", "Scope 1 (direct)"),
    "scope2": ("范围二（外购电力、热力）", "Scope 2 (purchased power, heat)"),
    "finance": ("融资统计", "Finance figures"),
    "filing": ("年度填报", "File a year"),
    "value_added": ("工业增加值（万元）", "Value added (10k yuan)"),
    "energy_lines": ("能源消费", "Energy use"),
    "carrier": ("能源品种", "Carrier"),
    "quantity": ("数量", "Quantity"),
    "unit": ("单位", "Unit"),
    "electricity": ("外购电力（兆瓦时）", "Purchased electricity (MWh)"),
    "product_lines": ("产品", "Products"),
    "output": ("产量", "Output"),
    "product_energy": ("产品能耗", "Product energy"),
    "energy_unit": ("能耗单位", "Energy unit"),
    "clinker": ("熟料", "Clinker"),
    "clinker_output": ("熟料产量（吨）", "Clinker output (t)"),
    "cao": ("氧化钙含量", "CaO fraction"),
    "mgo": ("氧化镁含量", "MgO fraction"),
    "save_draft": ("保存草稿", "Save the draft"),
    "draft": ("草稿", "Draft"),
    "draft_saved": ("草稿已保存。", "The draft is saved."),
    "submit": ("提交", "Submit"),
    "upload_title": ("批量填报表格", "The bulk workbook"),
    "template": ("下载表格模板", "Download the workbook template"),
    "workbook": ("表格文件", "Workbook file"),
    "upload": ("上传并检查", "Upload and check"),
    "choose_file": ("请选择一个文件。", "Choose a file."),
    "imported": ("已导入 {n} 份草稿。", "{n} draft(s) imported."),
    "problems": ("表格中的问题（未写入任何数据）", "Problems in the workbook (nothing was written)"),
    "sheet": ("工作表", "Sheet"),
    "row": ("行", "Row"),
    "cell": ("单元格", "Cell"),
    "column": ("列", "Column"),
    "problem": ("问题", "Problem"),
}

COLOURS: dict[str, tuple[str, str]] = {
    "dark_green": ("深绿", "Dark green"),
    "light_green": ("浅绿", "Light green"),
    "yellow": ("黄", "Yellow"),
    "red": ("红", "Red"),
    "unrated": ("未评", "Unrated"),
}


def language(cookie: str | None) -> str:
    return cookie if cookie in LANGS else "zh"


def words(lang: str) -> dict[str, Any]:
    """Every word in `lang`, and the colours' names, for a template."""
    i = LANGS.index(lang)
    return {**{k: v[i] for k, v in WORDS.items()}, "colour_names": {k: v[i] for k, v in COLOURS.items()}}
