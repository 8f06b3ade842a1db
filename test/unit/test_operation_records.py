"""The operation records generated code hands to the runtime are plain immutable values."""

import copy
import pickle

import pytest

from tachyon_sdk._operation import Body, Encoding, ServerSpec, ServerVariable
from tachyon_sdk._servers import SERVERS
from tachyon_sdk.api import chat_api, deployments_api


@pytest.mark.parametrize(
    "record",
    [
        chat_api._CHAT_COMPLETION,
        deployments_api._GET_CHAT_COMPLETIONS_FROM_DEPLOYMENT,
        SERVERS,
        Body("body", dict, True),
        ServerSpec("https://{region}.example", variables={"region": ServerVariable("eu", ("eu", "us"))}),
    ],
    ids=["chat-operation", "deployment-operation", "servers", "body-default-encoding", "server-with-variables"],
)
def test_records_pickle_and_copy_to_equal_values(record: object) -> None:
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.deepcopy(record) == record


def test_the_shared_empty_default_is_empty_read_only_and_one_object() -> None:
    encoding, variables = Body("body", dict, True).encoding, ServerSpec("http://localhost").variables
    assert encoding is variables and len(encoding) == 0 and list(encoding) == [] and encoding.get("x") is None
    assert pickle.loads(pickle.dumps(encoding)) is encoding
    with pytest.raises(TypeError):
        encoding["x"] = Encoding()  # type: ignore[index]
    assert repr(ServerSpec("http://localhost")) == "ServerSpec(url='http://localhost', description='', variables={})"
