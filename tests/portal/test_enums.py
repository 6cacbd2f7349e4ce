"""Labelled enumerations: each class keeps its own labels, even for values another class shares."""

from __future__ import annotations

from portal.enums import LabelledEnum, set_labels


class Door(LabelledEnum):
    OPEN = "open"
    SHUT = "shut"


class Shop(LabelledEnum):
    OPEN = "open"


set_labels({Door: {Door.OPEN: "Door open"}, Shop: {Shop.OPEN: "Open for business"}})


def test_same_value_in_two_classes_keeps_two_labels():
    assert Door.OPEN == Shop.OPEN  # string enums with one value compare equal...
    assert (Door.OPEN.label, Shop.OPEN.label) == ("Door open", "Open for business")  # ...labels do not mix


def test_unlabelled_member_shows_its_value_and_choices_list_every_member():
    assert Door.SHUT.label == "shut"
    assert Door.choices() == [("open", "Door open"), ("shut", "shut")]
