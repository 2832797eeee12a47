"""Process settings from the environment (`BILLYSYNC_*`) with embedded defaults.

Per-shop settings (Billy key, accounts, trigger, …) live in the database, not here;
this is only what a process needs to start: where the data is and where to listen.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from billysync.billy.http import DEFAULT_BASE_URL


class ProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BILLYSYNC_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="SQLite file, secret key, logs")
    database_url: str | None = Field(
        default=None, description="postgresql://… for the distributed mode; default SQLite"
    )
    secret_key_file: Path | None = Field(
        default=None, description="the key that encrypts Billy keys at rest (kept off the DB)"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(default=None, description="where shops reach our webhooks")
    admin_password: str | None = None
    executor_id: str | None = Field(default=None, description="stable id of this worker")
    billy_base_url: str = DEFAULT_BASE_URL
    demo: bool | None = Field(default=None, description="run the built-in emulators and demo shop")
    stop_grace_seconds: float = Field(
        default=20.0,
        gt=0,
        description="on SIGTERM/Ctrl-C, how long running work may take to finish before exit",
    )
    takeover_after_seconds: float = Field(
        default=60.0,
        gt=0,
        description="a worker silent this long is taken to be dead; live workers finish its work",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'billysync.db').resolve()}"

    @property
    def resolved_secret_key_file(self) -> Path:
        return self.secret_key_file or self.data_dir / "secret.key"

    @property
    def is_postgres(self) -> bool:
        return self.resolved_database_url.startswith("postgresql")
