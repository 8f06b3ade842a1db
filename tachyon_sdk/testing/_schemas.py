"""The request body schemas of openapi.yaml, as the local server checks them.

These are the spec's ``components.schemas`` entries a request body can reach,
copied with only the keywords that constrain a value (descriptions, examples,
defaults and ``deprecated`` removed). They are written out here rather than read
from the spec so that the server needs neither the spec file nor a YAML parser
at run time, and stays independent of the SDK it tests. A test compares them
with openapi.yaml, so a change to the spec that is not copied here fails CI.
"""

from typing import Any, Dict, Tuple

SchemaMap = Dict[str, Dict[str, Any]]


def _ref(name: str) -> Dict[str, Any]:
    return {"$ref": "#/components/schemas/" + name}


_NULLABLE_NUMBER_PM2 = {"type": ["number", "null"], "minimum": -2, "maximum": 2}

SCHEMAS: SchemaMap = {
    "ChatCompletionRequest": {
        "type": "object",
        "required": ["messages"],
        "properties": {
            "messages": {"type": "array", "minItems": 1, "items": _ref("ChatCompletionMessage")},
            "model": {"type": "string"},
            "frequency_penalty": dict(_NULLABLE_NUMBER_PM2),
            "presence_penalty": dict(_NULLABLE_NUMBER_PM2),
            "logit_bias": {
                "type": ["object", "null"],
                "additionalProperties": {"type": "number", "minimum": -100, "maximum": 100},
            },
            "max_tokens": {"type": ["integer", "null"], "minimum": 1},
            "n": {"type": ["integer", "null"], "minimum": 1},
            "response_format": _ref("ResponseFormat"),
            "seed": {"type": ["integer", "null"]},
            "stop": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4},
                    {"type": "null"},
                ]
            },
            "stream": {"type": ["boolean", "null"]},
            "stream_options": _ref("StreamOptions"),
            "temperature": {"type": ["number", "null"], "minimum": 0, "maximum": 2},
            "top_p": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "tools": {"type": "array", "items": _ref("ChatCompletionTool")},
            "tool_choice": {"anyOf": [_ref("ToolChoiceMode"), _ref("ChatCompletionNamedToolChoice")]},
            "user": {"type": ["string", "null"]},
            "functions": {"type": "array", "minItems": 1, "maxItems": 128, "items": _ref("FunctionDefinition")},
            "function_call": {"anyOf": [_ref("FunctionCallMode"), _ref("FunctionName")]},
        },
    },
    "ChatCompletionMessage": {
        "type": "object",
        "required": ["role"],
        "properties": {
            "role": _ref("ChatCompletionRole"),
            "content": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": _ref("ChatCompletionContentPart")},
                    {"type": "null"},
                ]
            },
            "name": {"type": "string"},
            "tool_calls": {"type": "array", "items": _ref("ChatCompletionMessageToolCall")},
            "tool_call_id": {"type": "string"},
        },
    },
    "ChatCompletionRole": {"type": "string", "enum": ["system", "user", "assistant", "tool", "function"]},
    "ChatCompletionContentPart": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": _ref("ContentPartType"),
            "text": {"type": "string"},
            "image_url": _ref("ImageUrl"),
        },
    },
    "ContentPartType": {"type": "string", "enum": ["text", "image_url"]},
    "ImageUrl": {
        "type": "object",
        "required": ["url"],
        "properties": {"url": {"type": "string"}, "detail": {"type": "string"}},
    },
    "ChatCompletionMessageToolCall": {
        "type": "object",
        "required": ["id", "type", "function"],
        "properties": {"id": {"type": "string"}, "type": _ref("ToolType"), "function": _ref("FunctionCall")},
    },
    "ToolType": {"type": "string", "enum": ["function"]},
    "FunctionCall": {
        "type": "object",
        "required": ["name", "arguments"],
        "properties": {"name": {"type": "string"}, "arguments": {"type": "string"}},
    },
    "ChatCompletionTool": {
        "type": "object",
        "required": ["type", "function"],
        "properties": {"type": _ref("ToolType"), "function": _ref("FunctionDefinition")},
    },
    "FunctionDefinition": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,64}$"},
            "description": {"type": "string"},
            "parameters": {"type": "object", "additionalProperties": True},
            "strict": {"type": ["boolean", "null"]},
        },
    },
    "ToolChoiceMode": {"type": "string", "enum": ["none", "auto", "required"]},
    "ChatCompletionNamedToolChoice": {
        "type": "object",
        "required": ["type", "function"],
        "properties": {"type": _ref("ToolType"), "function": _ref("FunctionName")},
    },
    "FunctionName": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
    "FunctionCallMode": {"type": "string", "enum": ["none", "auto"]},
    "ResponseFormat": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": _ref("ResponseFormatType"),
            "json_schema": {"type": "object", "additionalProperties": True},
        },
    },
    "ResponseFormatType": {"type": "string", "enum": ["text", "json_object", "json_schema"]},
    "StreamOptions": {"type": "object", "properties": {"include_usage": {"type": "boolean"}}},
    "DeploymentMessage": {
        "type": "object",
        "required": ["role", "content"],
        "properties": {"role": _ref("DeploymentMessageRole"), "content": {"type": "string"}},
    },
    "DeploymentMessageRole": {"type": "string", "enum": ["system", "user", "assistant"]},
    "GetChatCompletionsFromDeploymentRequestBody": {
        "type": "object",
        "required": ["messages"],
        "properties": {
            "messages": {"type": "array", "minItems": 1, "items": _ref("DeploymentMessage")},
            "streaming": {"type": "boolean"},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
            "max_new_tokens": {"type": "integer", "minimum": 1},
            "top_p": {"type": "number", "minimum": 0, "maximum": 1},
            "top_k": {"type": "integer", "minimum": 1},
            "no_repeat_ngram_size": {"type": "integer", "minimum": 0},
            "do_sample": {"type": "boolean"},
        },
    },
    "GetCompletionsFromDeploymentRequestBody": {
        "type": "object",
        "required": ["prompt"],
        "properties": {
            "prompt": {"type": "string", "minLength": 1},
            "streaming": {"type": "boolean"},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
            "max_new_tokens": {"type": "integer", "minimum": 1},
            "top_p": {"type": "number", "minimum": 0, "maximum": 1},
            "top_k": {"type": "integer", "minimum": 1},
            "no_repeat_ngram_size": {"type": "integer", "minimum": 0},
            "do_sample": {"type": "boolean"},
        },
    },
}

#: Keywords that only document a schema; they are left out of :data:`SCHEMAS`.
DOCUMENTATION_KEYWORDS: Tuple[str, ...] = ("description", "examples", "example", "default", "deprecated", "title")
