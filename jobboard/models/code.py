from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobboard.database import utcnow
from jobboard.extensions import db

# kinds, from broadest to narrowest
CHAPTER, BLOCK, SECTION, RANGE, CATEGORY, CODE = ("chapter", "block", "section", "range",
                                                  "category", "code")


class CatalogCode(db.Model):
    """One entry of the code catalog: a code, or a chapter, block, section or range of codes.

    CPT entries carry only our own words unless an organisation imported licensed
    descriptors (`licensed`), which the page then shows with the AMA notice.
    """

    __tablename__ = "catalog_code"
    __table_args__ = (
        UniqueConstraint("system", "code"),
        Index("ix_catalog_code_parent", "system", "parent_code"),
        Index("ix_catalog_code_range", "system", "range_start", "range_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(16))  # 38206, C92.00, or 38204-38243 for a range
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # our plain-language explanation
    parent_code: Mapped[str | None] = mapped_column(String(16))
    range_start: Mapped[str | None] = mapped_column(String(8))
    range_end: Mapped[str | None] = mapped_column(String(8))
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[dict] = mapped_column(JSON, default=dict)
    licensed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LoadedData(db.Model):
    """Which version of a data file the stored data was last built from, by its digest: job
    meanings are computed with `codes/data/vocabulary.csv`, so a changed vocabulary means
    refreshing them on the next `codes load`."""

    __tablename__ = "loaded_data"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
