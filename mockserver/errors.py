"""Errors the mock server answers with: an HTTP status plus an ``ErrorBody``."""

from __future__ import annotations

import math

from fastapi.responses import JSONResponse

from sync.protocol import ErrorBody, ErrorCode


class ApiError(Exception):
    """A refusal to send as ``ErrorBody`` JSON with ``status``; ``headers`` are added."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        *,
        retry_after: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        return error_response(
            self.status, self.code, self.message, retry_after=self.retry_after, headers=self.headers
        )


def error_body_bytes(code: str, message: str, retry_after: float | None = None) -> bytes:
    body = ErrorBody(code=code, message=message[:4000], retry_after=retry_after)
    return body.model_dump_json().encode("utf-8")


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` holds whole seconds."""
    return str(max(0, math.ceil(seconds)))


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    retry_after: float | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    extra = dict(headers or {})
    if retry_after is not None:
        extra["Retry-After"] = retry_after_header(retry_after)
    body = ErrorBody(code=code, message=message[:4000], retry_after=retry_after)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=extra)


def unauthorized(message: str = "Sign in first: this request needs a token.") -> ApiError:
    return ApiError(401, ErrorCode.UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})
