"""The bulk-filing workbook: one sheet per kind of line, one column per field.

Enterprises that keep their data in spreadsheets file through this layout (the
template at `GET /v1/filings/template.xlsx`). A header reads `中文名 key`; either part
identifies the column, so a translated or trimmed header still matches. Every line
row names its filing by 统一社会信用代码 and 年度, which must appear on the 填报 sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["SHEETS", "Column", "Kind", "Sheet", "column_letter", "find_sheet"]


class Kind(StrEnum):
    TEXT = "text"
    DECIMAL = "decimal"
    YEAR = "year"
    VERSION = "version"
    BOOL = "bool"
    ATTRIBUTES = "attributes"  # `name=value; name=value`


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""

    @property
    def header(self) -> str:
        return f"{self.label} {self.key}"


@dataclass(frozen=True, slots=True)
class Sheet:
    key: str
    """The FilingContent list the rows become (`filings`: the filing itself)."""
    name: str
    columns: tuple[Column, ...]

    def column(self, header: object) -> Column | None:
        text = str(header or "").strip()
        for col in self.columns:
            if text in (col.header, col.key, col.label) or text.endswith(" " + col.key):
                return col
        return None


_USCC = Column("uscc", "统一社会信用代码", Kind.TEXT, required=True)
_PERIOD = Column("period", "年度", Kind.YEAR, required=True)
_KEY = (_USCC, _PERIOD)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "filings",
        "填报",
        (
            *_KEY,
            Column("supersedes", "更正的版本", Kind.VERSION, note="a correction names the latest version"),
            Column("value_added_wan", "工业增加值(万元)", Kind.DECIMAL, note="required to submit"),
            Column("output_value_wan", "工业总产值(万元)", Kind.DECIMAL),
            Column("purchased_mwh", "外购电量(MWh)", Kind.DECIMAL),
            Column("exported_mwh", "输出电量(MWh)", Kind.DECIMAL),
            Column("green_certified_mwh", "绿电(MWh)", Kind.DECIMAL, note="purchased with green certificates"),
        ),
    ),
    Sheet(
        "energy",
        "能源",
        (
            *_KEY,
            Column("carrier", "能源品种", Kind.TEXT, required=True, note="a carrier code of the year's factor set"),
            Column("quantity", "消费量", Kind.DECIMAL, required=True),
            Column("unit", "单位", Kind.TEXT, required=True, note="t, kg, 10^4Nm3, Nm3, m3@20C, 10^4m3@20C"),
            Column("use", "用途", Kind.TEXT, choices=("fuel", "feedstock")),
            Column("ncv", "低位发热量", Kind.DECIMAL, note="measured, GJ/t or GJ/10^4Nm3"),
            Column("carbon_content", "含碳量", Kind.DECIMAL, note="measured, tC/GJ or a mass fraction"),
            Column("carbon_content_basis", "含碳量基准", Kind.TEXT, choices=("per_heat", "mass_fraction")),
            Column("oxidation", "碳氧化率", Kind.DECIMAL, note="measured, a fraction"),
        ),
    ),
    Sheet(
        "heat",
        "热力",
        (
            *_KEY,
            Column("direction", "方向", Kind.TEXT, required=True, choices=("purchased", "exported")),
            Column("quantity", "数量", Kind.DECIMAL, required=True),
            Column("unit", "单位", Kind.TEXT, required=True, choices=("GJ", "t_steam")),
            Column("pressure_mpa", "压力(MPa,绝压)", Kind.DECIMAL, note="steam only"),
            Column("temperature_c", "温度(°C)", Kind.DECIMAL, note="steam only"),
        ),
    ),
    Sheet(
        "products",
        "产品",
        (
            *_KEY,
            Column("product", "产品", Kind.TEXT, required=True, note="a product code of GET /v1/products"),
            Column("output", "产量", Kind.DECIMAL, required=True),
            Column("capacity", "产能", Kind.DECIMAL),
            Column("energy", "产品能耗", Kind.DECIMAL),
            Column("energy_unit", "能耗单位", Kind.TEXT, choices=("tce", "kgce", "kWh", "MWh")),
            Column("whole_site", "全厂边界", Kind.BOOL),
            Column("attributes", "属性", Kind.ATTRIBUTES, note="name=value; name=value"),
        ),
    ),
    Sheet(
        "clinker",
        "熟料",
        (
            *_KEY,
            Column("output_t", "熟料产量(t)", Kind.DECIMAL, required=True),
            Column("cao_fraction", "CaO质量分数", Kind.DECIMAL, required=True),
            Column("mgo_fraction", "MgO质量分数", Kind.DECIMAL, required=True),
            Column("noncarbonate_cao_fraction", "非碳酸盐CaO质量分数", Kind.DECIMAL),
            Column("noncarbonate_mgo_fraction", "非碳酸盐MgO质量分数", Kind.DECIMAL),
        ),
    ),
    Sheet(
        "carbonates",
        "碳酸盐",
        (
            *_KEY,
            Column("carbonate", "碳酸盐", Kind.TEXT, required=True, note="CaCO3, MgCO3, CaMg(CO3)2, Na2CO3, ..."),
            Column("quantity_t", "消耗量(t)", Kind.DECIMAL, required=True),
            Column("purity", "纯度", Kind.DECIMAL),
            Column("carbon_retained", "碳留存于产品", Kind.BOOL),
        ),
    ),
    Sheet(
        "captured",
        "碳捕集",
        (
            *_KEY,
            Column("quantity_t", "捕集量(t)", Kind.DECIMAL, required=True),
            Column("fate", "去向", Kind.TEXT, required=True, choices=("stored", "used")),
        ),
    ),
    # --- the process families (docs/accounting.md, "Process families") ---
    Sheet(
        "mass_balance",
        "碳平衡",
        (
            *_KEY,
            Column("material", "物料", Kind.TEXT, required=True, note="coke, coking_coal, urea, … or any code"),
            Column("flow", "流向", Kind.TEXT, required=True, choices=("in", "out", "waste")),
            Column("quantity", "数量", Kind.DECIMAL, required=True),
            Column("unit", "单位", Kind.TEXT, choices=("t", "10^4Nm3")),
            Column("carbon_content", "含碳量", Kind.DECIMAL, note="tC/t (mass fraction) or tC/10^4Nm3"),
            Column("process_unit", "装置", Kind.TEXT, note="coke_oven, hydrogen, fcc_regenerator, …; default site"),
        ),
    ),
    Sheet(
        "steel_materials",
        "钢铁过程",
        (
            *_KEY,
            Column("material", "物料", Kind.TEXT, required=True, note="limestone, dolomite, electrode, pig_iron, …"),
            Column("use", "用途", Kind.TEXT, required=True, choices=("consumed", "fixed")),
            Column("quantity_t", "数量(t)", Kind.DECIMAL, required=True),
            Column("factor", "排放因子(tCO2/t)", Kind.DECIMAL, note="measured; else the factor set's default"),
        ),
    ),
    Sheet(
        "byproduct_gases",
        "副产煤气",
        (
            *_KEY,
            Column(
                "gas",
                "煤气",
                Kind.TEXT,
                required=True,
                choices=("blast_furnace_gas", "coke_oven_gas", "converter_gas"),
            ),
            Column("produced", "产生量", Kind.DECIMAL, required=True),
            Column("burnt_on_site", "自用量", Kind.DECIMAL),
            Column("exported", "外供量", Kind.DECIMAL),
            Column("unit", "单位", Kind.TEXT, note="10^4Nm3, Nm3, m3@20C, 10^4m3@20C"),
            Column("ncv", "低位发热量", Kind.DECIMAL, note="measured, GJ/10^4Nm3"),
            Column("carbon_content", "含碳量", Kind.DECIMAL, note="measured, tC/GJ"),
            Column("oxidation", "碳氧化率", Kind.DECIMAL, note="measured, a fraction"),
        ),
    ),
    Sheet(
        "aluminium",
        "电解铝",
        (
            *_KEY,
            Column("primary_aluminium_t", "原铝产量(t)", Kind.DECIMAL, required=True),
            Column("anode_net_consumption", "吨铝炭阳极净耗", Kind.DECIMAL, note="t/t"),
            Column("anode_sulphur", "阳极含硫量", Kind.DECIMAL, note="a fraction"),
            Column("anode_ash", "阳极灰分", Kind.DECIMAL, note="a fraction"),
            Column("cf4_kg_per_t", "CF4排放因子(kg/t)", Kind.DECIMAL),
            Column("c2f6_kg_per_t", "C2F6排放因子(kg/t)", Kind.DECIMAL),
        ),
    ),
    Sheet(
        "nitrous_oxide",
        "氧化亚氮",
        (
            *_KEY,
            Column(
                "process",
                "工艺",
                Kind.TEXT,
                required=True,
                choices=(
                    "nitric_high_pressure",
                    "nitric_medium_pressure",
                    "nitric_atmospheric",
                    "nitric_dual_pressure",
                    "nitric_combined",
                    "nitric_low_pressure",
                    "adipic_nitric_oxidation",
                    "adipic_other",
                ),
            ),
            Column("output_t", "产量(t)", Kind.DECIMAL, required=True),
            Column("factor_kg_per_t", "N2O生成因子(kg/t)", Kind.DECIMAL),
            Column("removal", "N2O去除率", Kind.DECIMAL, note="a fraction"),
            Column("abated_share", "尾气处理设备使用率", Kind.DECIMAL, note="a fraction"),
        ),
    ),
    Sheet(
        "power_supply",
        "供电供热",
        (
            *_KEY,
            Column("unit_name", "机组", Kind.TEXT),
            Column("power_supplied_mwh", "供电量(MWh)", Kind.DECIMAL, required=True),
            Column("coal_for_power_tce", "供电耗标煤(tce)", Kind.DECIMAL, required=True),
            Column("heat_supplied_gj", "供热量(GJ)", Kind.DECIMAL),
            Column("coal_for_heat_tce", "供热耗标煤(tce)", Kind.DECIMAL),
        ),
    ),
)


def find_sheet(name: object) -> Sheet | None:
    """A sheet by its Chinese name or its key (`能源` or `energy`)."""
    text = str(name or "").strip()
    return next((s for s in SHEETS if text in (s.name, s.key, f"{s.name} {s.key}")), None)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the spreadsheet's name for a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
