"""Process settings from the environment (`BILLYSYNC_*`) with embedded defaults.

Per-shop settings (Billy key, accounts, trigger, …) live in the database, not here;
this is only what a process needs to start: where the data is and where to listen.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from billysync.billy.http import DEFAULT_BASE_URL

MIN_METRICS_TOKEN = 24
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.0.0.1, 10.1.0.0/16, ::1` → networks; raises ValueError naming a bad entry."""
    networks: list[Network] = []
    for part in text.replace(";", ",").split(","):
        entry = part.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"{entry!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from exc
    return tuple(networks)


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
    worker_concurrency: int = Field(
        default=8,
        ge=1,
        le=256,
        description="orders and returns one process works on at once (each waits on Billy "
        "and the database most of its time)",
    )
    queue_polling_seconds: float = Field(
        default=0.2,
        ge=0.01,
        le=10,
        description="how often an idle process looks for queued work",
    )
    language: str = Field(
        default="en",
        description="the command line's language: en or da (the pages ask the browser)",
    )
    trusted_proxies: str = Field(
        default="",
        description="addresses/networks of reverse proxies whose X-Forwarded-For is believed",
    )
    # SecretStr: a settings object printed in a log or a traceback shows "**********".
    metrics_token: SecretStr | None = Field(
        default=None, description="bearer token that may read /metrics (unset: /metrics is off)"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _readable_proxies(cls, value: str) -> str:
        parse_networks(value)  # a typo stops the start with the entry named, not later
        return value

    @field_validator("metrics_token")
    @classmethod
    def _long_enough_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value().strip()
        if len(token) < MIN_METRICS_TOKEN:
            raise ValueError(
                f"BILLYSYNC_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters "
                "(e.g. from `openssl rand -hex 32`)"
            )
        return SecretStr(token)

    @property
    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)

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
