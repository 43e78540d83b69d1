"""Provenance carried by every rule, indicator, threshold and template element."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Confirmation = Literal[True, False, "partial"]

UNCONFIRMED_LABEL = "待核实"


class Provenance(BaseModel):
    """Where a fact comes from and how sure we are of it.

    ``confirmed`` keeps the reference's three states (true / partial / false); only ``true`` counts as
    confirmed for users, everything else is shown as 待核实.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1, description="document, e.g. 工信厅节函〔2016〕586号 附件1")
    clause: str = Field(min_length=1, description="clause within the document, e.g. 四（二） or 4.3.1 a)")
    edition: str = Field(min_length=1, description="edition id, e.g. E2016, GB2018, T2018")
    confirmed: Confirmation = False
    note: str | None = None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed is True

    @property
    def citation(self) -> str:
        label = f"{self.source} {self.clause}".strip()
        return label if self.is_confirmed else f"{label}（{UNCONFIRMED_LABEL}）"
