"""Descriptions filled into a pydantic model from where they are declared (the entity map).

A REST representation or a write document declares its fields' types; what each field
means is written once, in the entity's declaration (api/store/kit/entity.py), and filled in
here. A description the model gives itself is a deliberate override and stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def fill(model: type[M], describe: Callable[[str], str | None]) -> type[M]:
    """Give each field of `model` without a description the one `describe` declares for its
    name, and rebuild the model's schema (models that embed it must be made after this)."""
    for name, info in model.model_fields.items():
        if info.description is None and (text := describe(name)) is not None:
            info.description = text
    model.model_rebuild(force=True)  # also takes in models it embeds, filled before it
    return model


def described(describe: Callable[[str], str | None]) -> Callable[[type[M]], type[M]]:
    """`fill` as a class decorator."""
    return lambda model: fill(model, describe)
