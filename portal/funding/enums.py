"""The enumerations of funding: stored as their value, shown with their label."""

from __future__ import annotations

from portal.enums import LabelledEnum, set_labels


class CostCategory(LabelledEnum):
    TRAVEL = "travel"
    VENUE = "venue"
    INTERPRETATION = "interpretation"
    OTHER = "other"


class CostKind(LabelledEnum):
    PLANNED = "planned"
    ACTUAL = "actual"


set_labels({
    CostCategory: {CostCategory.TRAVEL: "Travel", CostCategory.VENUE: "Venue", CostCategory.INTERPRETATION: "Interpretation", CostCategory.OTHER: "Other"},
    CostKind: {CostKind.PLANNED: "Planned", CostKind.ACTUAL: "Actual"},
})
