# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""Operations tagged ``Deployments``."""

from typing import Any, Mapping, Optional, Union, cast

from tachyon_sdk._types import USE_DEFAULT, DeadlineArg, RetriesArg, TimeoutArg
from tachyon_sdk.aio.api_client import ApiClient, PreparedRequest
from tachyon_sdk.aio.rest import AsyncRESTResponse
from tachyon_sdk.aio.streaming import AsyncStream, AsyncStreamCall
from tachyon_sdk.api.deployments_api import _GET_CHAT_COMPLETIONS_FROM_DEPLOYMENT, _GET_COMPLETIONS_FROM_DEPLOYMENT
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.models.get_chat_completions_from_deployment_chunk import GetChatCompletionsFromDeploymentChunk
from tachyon_sdk.models.get_chat_completions_from_deployment_request_body import (
    GetChatCompletionsFromDeploymentRequestBody,
)
from tachyon_sdk.models.get_chat_completions_from_deployment_response_body import (
    GetChatCompletionsFromDeploymentResponseBody,
)
from tachyon_sdk.models.get_completions_from_deployment_chunk import GetCompletionsFromDeploymentChunk
from tachyon_sdk.models.get_completions_from_deployment_request_body import GetCompletionsFromDeploymentRequestBody
from tachyon_sdk.models.get_completions_from_deployment_response_body import GetCompletionsFromDeploymentResponseBody


class DeploymentsApi:
    """Operations tagged ``Deployments``: Chat and text completions from a model deployment of a project.

    Each operation has a method returning the decoded answer, ``<name>_with_http_info`` returning an
    ``ApiResponse`` (status, headers, data, raw bytes) and ``<name>_without_preload_content`` returning the
    undecoded response; an operation that can stream also has ``<name>_stream`` and
    ``<name>_stream_with_http_info``.

    The asyncio twin of the sync class: the same methods and arguments, awaited; streams are
    ``AsyncStream`` values (``async for``, ``async with``).
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()

    def _get_chat_completions_from_deployment_request(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
        _request_auth: Optional[Mapping[str, Any]],
        _content_type: Optional[str],
        _headers: Optional[Mapping[str, str]],
        _host_index: Optional[int],
        _stream: Optional[bool] = None,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> PreparedRequest:
        """Check the arguments of :meth:`get_chat_completions_from_deployment` and build its request; nothing is sent."""
        return self.api_client.param_serialize(
            _GET_CHAT_COMPLETIONS_FROM_DEPLOYMENT,
            (project_id, deployment_id),
            get_chat_completions_from_deployment_request_body,
            request_auth=_request_auth,
            content_type=_content_type,
            headers=_headers,
            host_index=_host_index,
            stream=_stream,
            extra_body=_extra_body,
        )

    async def get_chat_completions_from_deployment(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> GetChatCompletionsFromDeploymentResponseBody:
        """Get Chat Completions from a Deployment

        Get chat completions from a deployment using the provided input.

        :param project_id: The ID of the project to retrieve deployments for (required)
        :param deployment_id: The ID of the deployment to get chat completions from (required)
        :param get_chat_completions_from_deployment_request_body: Provide your chat input for completions (required)

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

        :return: GetChatCompletionsFromDeploymentResponseBody. A body that sets ``streaming`` gets a ``Stream`` of GetChatCompletionsFromDeploymentChunk instead, which this method is not typed for: call :meth:`get_chat_completions_from_deployment_stream` to stream.
        :raises ApiValueError: an argument is invalid (nothing is sent).
        :raises ApiException: the server answered with an error status (``BadRequestException`` for 400,
            ``NotFoundException`` for 404, ...); ``data`` holds the parsed error model.
        :raises ApiConnectionError: no HTTP answer (``ApiTimeoutError`` when it timed out).
        """
        request = self._get_chat_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_chat_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            GetChatCompletionsFromDeploymentResponseBody,
            (await self.api_client.execute(request, _request_timeout, _retries, _deadline)).data,
        )

    async def get_chat_completions_from_deployment_with_http_info(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[GetChatCompletionsFromDeploymentResponseBody]:
        """Same as :meth:`get_chat_completions_from_deployment`, returning an ``ApiResponse`` (status_code, headers, data, raw_data)."""
        request = self._get_chat_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_chat_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ApiResponse[GetChatCompletionsFromDeploymentResponseBody],
            await self.api_client.execute(request, _request_timeout, _retries, _deadline),
        )

    async def get_chat_completions_from_deployment_without_preload_content(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
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
        """Same as :meth:`get_chat_completions_from_deployment`, returning the undecoded response (the caller reads and closes it)."""
        request = self._get_chat_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_chat_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return await self.api_client.execute_raw(request, _request_timeout, _retries, _deadline)

    def get_chat_completions_from_deployment_stream(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncStreamCall[GetChatCompletionsFromDeploymentChunk]:
        """Same as :meth:`get_chat_completions_from_deployment`, asking for a stream of GetChatCompletionsFromDeploymentChunk.

        The arguments are checked now; ``await`` the result for an ``AsyncStream`` (or enter it with
        ``async with``) and read one chunk per server-sent event with ``async for``; ``close()`` releases
        the connection early.
        """
        request = self._get_chat_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_chat_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return self.api_client.execute_stream(request, _request_timeout, _retries, _deadline)

    async def get_chat_completions_from_deployment_stream_with_http_info(
        self,
        project_id: str,
        deployment_id: str,
        get_chat_completions_from_deployment_request_body: Union[
            GetChatCompletionsFromDeploymentRequestBody,
            Mapping[str, Any],
        ],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[AsyncStream[GetChatCompletionsFromDeploymentChunk]]:
        """Same as :meth:`get_chat_completions_from_deployment_stream`, awaited: an ``ApiResponse`` (status_code, headers) whose ``data`` is the ``AsyncStream``."""
        request = self._get_chat_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_chat_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return await self.api_client.execute_stream_with_http_info(request, _request_timeout, _retries, _deadline)

    def _get_completions_from_deployment_request(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
        _request_auth: Optional[Mapping[str, Any]],
        _content_type: Optional[str],
        _headers: Optional[Mapping[str, str]],
        _host_index: Optional[int],
        _stream: Optional[bool] = None,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> PreparedRequest:
        """Check the arguments of :meth:`get_completions_from_deployment` and build its request; nothing is sent."""
        return self.api_client.param_serialize(
            _GET_COMPLETIONS_FROM_DEPLOYMENT,
            (project_id, deployment_id),
            get_completions_from_deployment_request_body,
            request_auth=_request_auth,
            content_type=_content_type,
            headers=_headers,
            host_index=_host_index,
            stream=_stream,
            extra_body=_extra_body,
        )

    async def get_completions_from_deployment(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> GetCompletionsFromDeploymentResponseBody:
        """Get Completions from a Deployment

        Get completions from a deployment using the provided input.

        :param project_id: The ID of the project to retrieve deployments for (required)
        :param deployment_id: The ID of the deployment to get completions from (required)
        :param get_completions_from_deployment_request_body: Provide your prompt input for completions (required)

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

        :return: GetCompletionsFromDeploymentResponseBody. A body that sets ``streaming`` gets a ``Stream`` of GetCompletionsFromDeploymentChunk instead, which this method is not typed for: call :meth:`get_completions_from_deployment_stream` to stream.
        :raises ApiValueError: an argument is invalid (nothing is sent).
        :raises ApiException: the server answered with an error status (``BadRequestException`` for 400,
            ``NotFoundException`` for 404, ...); ``data`` holds the parsed error model.
        :raises ApiConnectionError: no HTTP answer (``ApiTimeoutError`` when it timed out).
        """
        request = self._get_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            GetCompletionsFromDeploymentResponseBody,
            (await self.api_client.execute(request, _request_timeout, _retries, _deadline)).data,
        )

    async def get_completions_from_deployment_with_http_info(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[GetCompletionsFromDeploymentResponseBody]:
        """Same as :meth:`get_completions_from_deployment`, returning an ``ApiResponse`` (status_code, headers, data, raw_data)."""
        request = self._get_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return cast(
            ApiResponse[GetCompletionsFromDeploymentResponseBody],
            await self.api_client.execute(request, _request_timeout, _retries, _deadline),
        )

    async def get_completions_from_deployment_without_preload_content(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
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
        """Same as :meth:`get_completions_from_deployment`, returning the undecoded response (the caller reads and closes it)."""
        request = self._get_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
        )
        return await self.api_client.execute_raw(request, _request_timeout, _retries, _deadline)

    def get_completions_from_deployment_stream(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> AsyncStreamCall[GetCompletionsFromDeploymentChunk]:
        """Same as :meth:`get_completions_from_deployment`, asking for a stream of GetCompletionsFromDeploymentChunk.

        The arguments are checked now; ``await`` the result for an ``AsyncStream`` (or enter it with
        ``async with``) and read one chunk per server-sent event with ``async for``; ``close()`` releases
        the connection early.
        """
        request = self._get_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return self.api_client.execute_stream(request, _request_timeout, _retries, _deadline)

    async def get_completions_from_deployment_stream_with_http_info(
        self,
        project_id: str,
        deployment_id: str,
        get_completions_from_deployment_request_body: Union[GetCompletionsFromDeploymentRequestBody, Mapping[str, Any]],
        *,
        _request_timeout: TimeoutArg = USE_DEFAULT,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, str]] = None,
        _host_index: Optional[int] = None,
        _retries: RetriesArg = USE_DEFAULT,
        _deadline: DeadlineArg = USE_DEFAULT,
        _extra_body: Optional[Mapping[str, Any]] = None,
    ) -> ApiResponse[AsyncStream[GetCompletionsFromDeploymentChunk]]:
        """Same as :meth:`get_completions_from_deployment_stream`, awaited: an ``ApiResponse`` (status_code, headers) whose ``data`` is the ``AsyncStream``."""
        request = self._get_completions_from_deployment_request(
            project_id,
            deployment_id,
            get_completions_from_deployment_request_body,
            _request_auth,
            _content_type,
            _headers,
            _host_index,
            _extra_body=_extra_body,
            _stream=True,
        )
        return await self.api_client.execute_stream_with_http_info(request, _request_timeout, _retries, _deadline)
