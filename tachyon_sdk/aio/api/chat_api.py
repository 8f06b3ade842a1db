# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""Operations tagged ``Chat``."""

from typing import Any, Mapping, Optional, Union, cast

from tachyon_sdk._types import USE_DEFAULT, DeadlineArg, RetriesArg, TimeoutArg
from tachyon_sdk.aio.api_client import ApiClient, PreparedRequest
from tachyon_sdk.aio.rest import AsyncRESTResponse
from tachyon_sdk.aio.streaming import AsyncStream, AsyncStreamCall
from tachyon_sdk.api.chat_api import _CHAT_COMPLETION, _CHAT_COMPLETION_ON_CHATROOM
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import ChatCompletionWithChatroomStreamResponse


class ChatApi:
    """Operations tagged ``Chat``: OpenAI-compatible chat completions, optionally inside a chatroom.

    Each operation has a method returning the decoded answer, ``<name>_with_http_info`` returning an
    ``ApiResponse`` (status, headers, data, raw bytes) and ``<name>_without_preload_content`` returning the
    undecoded response; an operation that can stream also has ``<name>_stream`` and
    ``<name>_stream_with_http_info``.

    The asyncio twin of the sync class: the same methods and arguments, awaited; streams are
    ``AsyncStream`` values (``async for``, ``async with``).
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()

    def _chat_completion_request(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        _request_auth: Optional[Mapping[str, Any]],
        _content_type: Optional[str],
        _headers: Optional[Mapping[str, str]],
        _host_index: Optional[int],
        _stream: Optional[bool] = None,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> PreparedRequest:
        """Check the arguments of :meth:`chat_completion` and build its request; nothing is sent."""
        return self.api_client.param_serialize(
            _CHAT_COMPLETION,
            (x_operator_id, authorization),
            chat_completion_request,
            request_auth=_request_auth,
            content_type=_content_type,
            headers=_headers,
            host_index=_host_index,
            stream=_stream,
            extra_body=_extra_body,
        )

    async def chat_completion(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ChatCompletionResponse:
        """Create a chat completion

        Creates a model response for the given chat conversation.

        :param x_operator_id: Operator ID (required)
        :param authorization: Authorization (required)
        :param chat_completion_request: (required)

        :param _request_timeout: timeout of this call: seconds, a ``(connect, read)`` tuple, or ``None`` for none;
            by default the configuration's timeout.
        :param _request_auth: authentication for this call instead of the configured one
            (``{"in": "header", "key": "Authorization", "value": "...", "type": "bearer"}``).
        :param _content_type: Content-Type of the request body instead of the spec's first one.
        :param _headers: extra request headers for this call.
        :param _host_index: index of the server (in the spec's ``servers``) to call instead of the configured host.
        :param _retries: retries of this call: a ``RetryPolicy``, a number, or ``None`` for none; by default the
            client's policy.
        :param _deadline: overall time budget of this call in seconds (of a stream: until its end), or ``None``
            for none; by default the configuration's ``deadline``. Passing it raises ``ApiTimeoutError`` with
            ``phase="deadline"``.
        :param _extra_body: fields to send in the body that the SDK does not know (a newer server's), merged into
            the JSON object as given, over the body's own; the body itself refuses unknown fields.

        :return: ChatCompletionResponse. A body that sets ``stream`` gets a ``Stream`` of ChatCompletionChunkResponse instead, which this method is not typed for: call :meth:`chat_completion_stream` to stream.
        :raises ApiValueError: an argument is invalid (nothing is sent).
        :raises ApiException: the server answered with an error status (``BadRequestException`` for 400,
            ``NotFoundException`` for 404, ...); ``data`` holds the parsed error model.
        :raises ApiConnectionError: no HTTP answer (``ApiTimeoutError`` when it timed out).
        """
        request = self._chat_completion_request(
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ChatCompletionResponse,
            (await self.api_client.execute(request, _request_timeout, _retries, _deadline)).data,
        )

    async def chat_completion_with_http_info(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[ChatCompletionResponse]:
        """Same as :meth:`chat_completion`, returning an ``ApiResponse`` (status_code, headers, data, raw_data)."""
        request = self._chat_completion_request(
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ApiResponse[ChatCompletionResponse],
            await self.api_client.execute(request, _request_timeout, _retries, _deadline),
        )

    async def chat_completion_without_preload_content(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncRESTResponse:
        """Same as :meth:`chat_completion`, returning the undecoded response (the caller reads and closes it)."""
        request = self._chat_completion_request(
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return await self.api_client.execute_raw(request, _request_timeout, _retries, _deadline)

    def chat_completion_stream(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncStreamCall[ChatCompletionChunkResponse]:
        """Same as :meth:`chat_completion`, asking for a stream of ChatCompletionChunkResponse.

        The arguments are checked now; ``await`` the result for an ``AsyncStream`` (or enter it with
        ``async with``) and read one chunk per server-sent event with ``async for``; ``close()`` releases
        the connection early.
        """
        request = self._chat_completion_request(
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return self.api_client.execute_stream(request, _request_timeout, _retries, _deadline)

    async def chat_completion_stream_with_http_info(
        self,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[AsyncStream[ChatCompletionChunkResponse]]:
        """Same as :meth:`chat_completion_stream`, awaited: an ``ApiResponse`` (status_code, headers) whose ``data`` is the ``AsyncStream``."""
        request = self._chat_completion_request(
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return await self.api_client.execute_stream_with_http_info(request, _request_timeout, _retries, _deadline)

    def _chat_completion_on_chatroom_request(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        _request_auth: Optional[Mapping[str, Any]],
        _content_type: Optional[str],
        _headers: Optional[Mapping[str, str]],
        _host_index: Optional[int],
        _stream: Optional[bool] = None,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> PreparedRequest:
        """Check the arguments of :meth:`chat_completion_on_chatroom` and build its request; nothing is sent."""
        return self.api_client.param_serialize(
            _CHAT_COMPLETION_ON_CHATROOM,
            (chatroom_id, x_operator_id, authorization),
            chat_completion_request,
            request_auth=_request_auth,
            content_type=_content_type,
            headers=_headers,
            host_index=_host_index,
            stream=_stream,
            extra_body=_extra_body,
        )

    async def chat_completion_on_chatroom(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ChatCompletionWithChatroomResponse:
        """Create a chat completion within a chatroom

        Creates a model response for the given chat conversation in a specific chatroom.

        :param chatroom_id: Chatroom ID (required)
        :param x_operator_id: Operator ID (required)
        :param authorization: Authorization (required)
        :param chat_completion_request: (required)

        :param _request_timeout: timeout of this call: seconds, a ``(connect, read)`` tuple, or ``None`` for none;
            by default the configuration's timeout.
        :param _request_auth: authentication for this call instead of the configured one
            (``{"in": "header", "key": "Authorization", "value": "...", "type": "bearer"}``).
        :param _content_type: Content-Type of the request body instead of the spec's first one.
        :param _headers: extra request headers for this call.
        :param _host_index: index of the server (in the spec's ``servers``) to call instead of the configured host.
        :param _retries: retries of this call: a ``RetryPolicy``, a number, or ``None`` for none; by default the
            client's policy.
        :param _deadline: overall time budget of this call in seconds (of a stream: until its end), or ``None``
            for none; by default the configuration's ``deadline``. Passing it raises ``ApiTimeoutError`` with
            ``phase="deadline"``.
        :param _extra_body: fields to send in the body that the SDK does not know (a newer server's), merged into
            the JSON object as given, over the body's own; the body itself refuses unknown fields.

        :return: ChatCompletionWithChatroomResponse. A body that sets ``stream`` gets a ``Stream`` of ChatCompletionWithChatroomStreamResponse instead, which this method is not typed for: call :meth:`chat_completion_on_chatroom_stream` to stream.
        :raises ApiValueError: an argument is invalid (nothing is sent).
        :raises ApiException: the server answered with an error status (``BadRequestException`` for 400,
            ``NotFoundException`` for 404, ...); ``data`` holds the parsed error model.
        :raises ApiConnectionError: no HTTP answer (``ApiTimeoutError`` when it timed out).
        """
        request = self._chat_completion_on_chatroom_request(
            chatroom_id,
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ChatCompletionWithChatroomResponse,
            (await self.api_client.execute(request, _request_timeout, _retries, _deadline)).data,
        )

    async def chat_completion_on_chatroom_with_http_info(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[ChatCompletionWithChatroomResponse]:
        """Same as :meth:`chat_completion_on_chatroom`, returning an ``ApiResponse`` (status_code, headers, data, raw_data)."""
        request = self._chat_completion_on_chatroom_request(
            chatroom_id,
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ApiResponse[ChatCompletionWithChatroomResponse],
            await self.api_client.execute(request, _request_timeout, _retries, _deadline),
        )

    async def chat_completion_on_chatroom_without_preload_content(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncRESTResponse:
        """Same as :meth:`chat_completion_on_chatroom`, returning the undecoded response (the caller reads and closes it)."""
        request = self._chat_completion_on_chatroom_request(
            chatroom_id,
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return await self.api_client.execute_raw(request, _request_timeout, _retries, _deadline)

    def chat_completion_on_chatroom_stream(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncStreamCall[ChatCompletionWithChatroomStreamResponse]:
        """Same as :meth:`chat_completion_on_chatroom`, asking for a stream of ChatCompletionWithChatroomStreamResponse.

        The arguments are checked now; ``await`` the result for an ``AsyncStream`` (or enter it with
        ``async with``) and read one chunk per server-sent event with ``async for``; ``close()`` releases
        the connection early.
        """
        request = self._chat_completion_on_chatroom_request(
            chatroom_id,
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return self.api_client.execute_stream(request, _request_timeout, _retries, _deadline)

    async def chat_completion_on_chatroom_stream_with_http_info(
        self,
        chatroom_id: str,
        x_operator_id: str,
        authorization: str,
        chat_completion_request: Union[ChatCompletionRequest, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[AsyncStream[ChatCompletionWithChatroomStreamResponse]]:
        """Same as :meth:`chat_completion_on_chatroom_stream`, awaited: an ``ApiResponse`` (status_code, headers) whose ``data`` is the ``AsyncStream``."""
        request = self._chat_completion_on_chatroom_request(
            chatroom_id,
            x_operator_id,
            authorization,
            chat_completion_request,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return await self.api_client.execute_stream_with_http_info(request, _request_timeout, _retries, _deadline)
