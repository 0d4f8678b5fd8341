"""Mock gateway clients for callers' unit tests: they record requests and answer from a script.

They run the same request building and answer parsing as the real clients (only ``_send`` is
replaced), so a caller's code is tested exactly as it will run against the gateway.
"""

from __future__ import annotations

import hmac
from collections import deque
from collections.abc import Callable, Iterable
from typing import TypeAlias

from octobus_schemas.api._models import ErrorBody
from octobus_schemas.api._routes import SIGNATURE_256_HEADER, WEBHOOK_PATH
from octobus_schemas.api.client._core import GatewayClient, SyncGatewayClient
from octobus_schemas.api.client._errors import GatewayConnectionError
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse
from octobus_schemas.api.client._signing import sign_sha256

__all__ = [
    "MockAnswer",
    "MockGatewayClient",
    "MockScriptExhausted",
    "SyncMockGatewayClient",
    "no_answer",
]

MockAnswer: TypeAlias = GatewayResponse | Callable[[GatewayRequest], GatewayResponse]
"""One scripted answer: a fixed response, or a function of the request (which may raise)."""

MOCK_BASE_URL = "http://gateway.test"


class MockScriptExhausted(AssertionError):  # noqa: N818 - a failed assertion, not an error
    """The code under test sent more requests than the mock's script answers.

    An ``AssertionError``, because it is a failure of the test, not of the gateway.
    """


def no_answer(reason: str = "connection refused") -> Callable[[GatewayRequest], GatewayResponse]:
    """Script a request that gets no answer, as when the gateway is down.

    Parameters
    ----------
    reason
        The transport error the client reports.

    Returns
    -------
    Callable
        A scripted answer raising :class:`GatewayConnectionError`.
    """

    def refuse(request: GatewayRequest) -> GatewayResponse:
        raise GatewayConnectionError(request, None, reason)

    return refuse


class _Script:
    """The recorded requests and the answers still to give, shared by both mocks."""

    def __init__(self, answers: Iterable[MockAnswer], secret: str | bytes | None) -> None:
        self.requests: list[GatewayRequest] = []
        self._answers = deque(answers)
        self._secret = secret

    def add(self, *answers: MockAnswer) -> None:
        self._answers.extend(answers)

    def answer(self, request: GatewayRequest) -> GatewayResponse:
        self.requests.append(request)
        rejection = self._check_signature(request)
        if rejection is not None:
            return rejection
        if not self._answers:
            msg = (
                f"the mock gateway has no scripted answer left for request "
                f"#{len(self.requests)}: {request.method} {request.url}"
            )
            raise MockScriptExhausted(msg)
        answer = self._answers.popleft()
        return answer if isinstance(answer, GatewayResponse) else answer(request)

    def _check_signature(self, request: GatewayRequest) -> GatewayResponse | None:
        """Refuse a badly signed delivery with 401, as the gateway does, when given a secret."""
        if self._secret is None or not request.url.endswith(WEBHOOK_PATH):
            return None
        signature = request.header(SIGNATURE_256_HEADER)
        if signature is None:
            detail = f"the {SIGNATURE_256_HEADER} header is missing"
        elif not hmac.compare_digest(signature, sign_sha256(request.body, self._secret)):
            detail = f"{SIGNATURE_256_HEADER} does not match the body"
        else:
            return None
        return GatewayResponse.of(401, ErrorBody(detail=detail))


class _Scripted:
    """The script handling both mocks share."""

    _script: _Script

    @property
    def requests(self) -> list[GatewayRequest]:
        """Every request sent, in order."""
        return self._script.requests

    def add(self, *answers: MockAnswer) -> None:
        """Append answers to the script.

        Parameters
        ----------
        *answers
            The answers, in order.
        """
        self._script.add(*answers)


class MockGatewayClient(_Scripted, GatewayClient):
    """An async gateway client that records requests and answers from a script.

    Parameters
    ----------
    answers
        The answers to give, in order; :meth:`add` appends more.
    secret
        When given, deliveries whose ``X-Hub-Signature-256`` does not match the body under
        this secret get a 401 (without using up an answer), as from the gateway.
    base_url
        The base URL requests are addressed to.

    Attributes
    ----------
    requests
        Every request sent, in order.

    Raises
    ------
    MockScriptExhausted
        From a call, when no scripted answer is left.
    """

    def __init__(
        self,
        answers: Iterable[MockAnswer] = (),
        *,
        secret: str | bytes | None = None,
        base_url: str = MOCK_BASE_URL,
    ) -> None:
        super().__init__(base_url)
        self._script = _Script(answers, secret)

    async def _send(self, request: GatewayRequest) -> GatewayResponse:
        return self._script.answer(request)


class SyncMockGatewayClient(_Scripted, SyncGatewayClient):
    """The blocking twin of :class:`MockGatewayClient`.

    Parameters
    ----------
    answers
        The answers to give, in order; :meth:`add` appends more.
    secret
        When given, badly signed deliveries get a 401, as from the gateway.
    base_url
        The base URL requests are addressed to.

    Attributes
    ----------
    requests
        Every request sent, in order.
    """

    def __init__(
        self,
        answers: Iterable[MockAnswer] = (),
        *,
        secret: str | bytes | None = None,
        base_url: str = MOCK_BASE_URL,
    ) -> None:
        super().__init__(base_url)
        self._script = _Script(answers, secret)

    def _send(self, request: GatewayRequest) -> GatewayResponse:
        return self._script.answer(request)
