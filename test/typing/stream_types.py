"""Type-checked, never run: what mypy --strict infers for the streaming surface.

test_stream_typing.py runs mypy on this file. ``assert_type`` makes mypy fail when a type is not
exactly the one written; ``reveal_type`` prints it, so the test also reads the inferred types.
"""

from typing import Iterator

from typing_extensions import assert_type, reveal_type

import tachyon_sdk
from tachyon_sdk.api.chat_api import ChatApi
from tachyon_sdk.api.deployments_api import DeploymentsApi
from tachyon_sdk.helpers import answer_text, collect_chat_completion, text_deltas
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import ChatCompletionWithChatroomStreamResponse
from tachyon_sdk.models.get_chat_completions_from_deployment_chunk import GetChatCompletionsFromDeploymentChunk
from tachyon_sdk.models.get_completions_from_deployment_chunk import GetCompletionsFromDeploymentChunk
from tachyon_sdk.streaming import ServerSentEvent, Stream


def check(client: tachyon_sdk.ApiClient) -> None:
    chat = ChatApi(client)
    deployments = DeploymentsApi(client)
    body = {"messages": [{"role": "user", "content": "Hi"}]}

    chat_stream = chat.chat_completion_stream("tn_1", "Bearer x", body)
    reveal_type(chat_stream)
    assert_type(chat_stream, Stream[ChatCompletionChunkResponse])

    room_stream = chat.chat_completion_on_chatroom_stream("room-1", "tn_1", "Bearer x", body)
    reveal_type(room_stream)
    assert_type(room_stream, Stream[ChatCompletionWithChatroomStreamResponse])

    deployment_chat_stream = deployments.get_chat_completions_from_deployment_stream("p", "d", body)
    reveal_type(deployment_chat_stream)
    assert_type(deployment_chat_stream, Stream[GetChatCompletionsFromDeploymentChunk])

    deployment_text_stream = deployments.get_completions_from_deployment_stream("p", "d", {"prompt": "Hi"})
    reveal_type(deployment_text_stream)
    assert_type(deployment_text_stream, Stream[GetCompletionsFromDeploymentChunk])

    # iterating and the context manager keep the chunk type
    with chat_stream as entered:
        assert_type(entered, Stream[ChatCompletionChunkResponse])
        for chunk in entered:
            assert_type(chunk, ChatCompletionChunkResponse)
    assert_type(next(deployment_text_stream), GetCompletionsFromDeploymentChunk)
    for event in room_stream.events():  # named events too, raw
        assert_type(event, ServerSentEvent)
        assert_type(event.data, str)

    # the plain methods are typed with the answer they give without streaming
    assert_type(chat.chat_completion("tn_1", "Bearer x", body), ChatCompletionResponse)
    assert_type(
        chat.chat_completion_on_chatroom("room-1", "tn_1", "Bearer x", body), ChatCompletionWithChatroomResponse
    )
    # <op>_stream_with_http_info: the same Stream inside an ApiResponse
    assert_type(
        chat.chat_completion_stream_with_http_info("tn_1", "Bearer x", body).data, Stream[ChatCompletionChunkResponse]
    )

    # the helpers: the folded type follows the stream's chunk type
    assert_type(collect_chat_completion(chat_stream), ChatCompletionResponse)
    assert_type(collect_chat_completion(room_stream), ChatCompletionWithChatroomResponse)
    assert_type(text_deltas(deployment_chat_stream), Iterator[str])
    assert_type(answer_text(chat.chat_completion("tn_1", "Bearer x", body)), str)
