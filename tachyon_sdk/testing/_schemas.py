"""The request body schemas of openapi.yaml, as the local server checks them.

These are the spec's ``components.schemas`` entries a request body can reach,
copied with only the keywords that constrain a value (descriptions, examples,
defaults and ``deprecated`` removed). They are written out here rather than read
from the spec so that the server needs neither the spec file (which an installed
wheel does not carry) nor a YAML parser at run time, and stays independent of
the SDK it tests. A test compares them with openapi.yaml, so a change to the
spec that is not copied here fails CI.
"""

from typing import Any, Dict, Tuple

SchemaMap = Dict[str, Dict[str, Any]]


def _ref(name: str) -> Dict[str, Any]:
    return {"$ref": "#/components/schemas/" + name}


def _nullable_ref(name: str) -> Dict[str, Any]:
    return {"anyOf": [_ref(name), {"type": "null"}]}


SCHEMAS: SchemaMap = {
    "ChatCompletionRequest": {
        "type": "object",
        "required": ["messages"],
        "properties": {
            "messages": {"type": "array", "items": _ref("ChatCompletionMessage")},
            "model": {"type": ["string", "null"]},
            "frequency_penalty": {"type": ["number", "null"], "minimum": -2, "maximum": 2},
            "presence_penalty": {"type": ["number", "null"], "minimum": -2, "maximum": 2},
            "max_completion_tokens": {"type": ["integer", "null"], "format": "int32"},
            "max_tokens": {"type": ["integer", "null"]},
            "n": {"type": ["integer", "null"], "format": "int32", "minimum": 1, "maximum": 10},
            "temperature": {"type": ["number", "null"], "minimum": 0, "maximum": 2},
            "top_p": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "stream": {"type": ["boolean", "null"]},
            "response_format": _nullable_ref("ResponseFormat"),
            "tools": {"type": ["array", "null"], "items": _ref("ChatCompletionTool")},
            "tool_choice": _nullable_ref("ToolChoice"),
            "user": {"type": ["string", "null"]},
            "memory_settings": _nullable_ref("MemorySettings"),
            "communication_style": {"type": ["string", "null"]},
            "explanation_style": {"type": ["string", "null"]},
            "technical_level": {"type": ["string", "null"]},
            "web_search": _nullable_ref("WebSearchOptions"),
            "seed": {"type": ["integer", "null"]},
            "stop": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}, "maxItems": 4},
                    {"type": "null"},
                ]
            },
            "logit_bias": {
                "type": ["object", "null"],
                "additionalProperties": {"type": "number", "minimum": -100, "maximum": 100},
            },
            "stream_options": _nullable_ref("StreamOptions"),
            "functions": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "function_call": {
                "anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}, {"type": "null"}]
            },
        },
    },
    "ChatCompletionMessage": {
        "type": "object",
        "required": ["role"],
        "properties": {
            "role": {"type": "string"},
            "content": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": _ref("ChatCompletionContentPart")},
                    {"type": "null"},
                ]
            },
            "tool_calls": {"type": ["array", "null"], "items": _ref("ChatCompletionMessageToolCall")},
            "name": {"type": "string"},
            "tool_call_id": {"type": "string"},
        },
    },
    "ChatCompletionContentPart": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "text": {"type": ["string", "null"]},
            "image_url": _nullable_ref("ImageUrl"),
        },
    },
    "ImageUrl": {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"type": "string"},
            "detail": {"type": ["string", "null"]},
            "mime_type": {"type": ["string", "null"]},
        },
    },
    "ChatCompletionMessageToolCall": {
        "type": "object",
        "required": ["id", "type", "function"],
        "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "function": _ref("FunctionCall")},
    },
    "FunctionCall": {
        "type": "object",
        "required": ["name", "arguments"],
        "properties": {"name": {"type": "string"}, "arguments": {"type": "string"}},
    },
    "ChatCompletionTool": {
        "type": "object",
        "required": ["type", "function"],
        "properties": {"type": {"type": "string"}, "function": _ref("FunctionDefinition")},
    },
    "FunctionDefinition": {
        "type": "object",
        "required": ["name", "description", "parameters"],
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "parameters": _ref("FunctionParameters"),
            "strict": {"type": ["boolean", "null"]},
        },
    },
    "FunctionParameters": {
        "type": "object",
        "required": ["type", "properties", "required"],
        "additionalProperties": True,
        "properties": {
            "type": {"type": "string"},
            "properties": {"type": "object", "additionalProperties": True},
            "required": {"type": "array", "items": {"type": "string"}},
        },
    },
    "ToolChoice": {"type": "string", "enum": ["auto", "any"]},
    "MemorySettings": {
        "type": "object",
        "required": ["extract_memory", "max_memories", "min_relevance_score"],
        "properties": {
            "extract_memory": {"type": "boolean"},
            "max_memories": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 20},
            "min_relevance_score": {"type": "number", "minimum": 0, "maximum": 1},
        },
    },
    "WebSearchOptions": {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {"type": "string", "maxLength": 1000},
            "max_results": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
        },
    },
    "ResponseFormat": {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}, "json_schema": {"type": "object", "additionalProperties": True}},
    },
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
            "messages": {"type": "array", "items": _ref("DeploymentMessage")},
            "streaming": {"type": "boolean"},
            "temperature": {"type": "number"},
            "max_new_tokens": {"type": "integer"},
            "top_p": {"type": "number"},
            "top_k": {"type": "integer"},
            "no_repeat_ngram_size": {"type": "integer"},
            "do_sample": {"type": "boolean"},
        },
    },
    "GetCompletionsFromDeploymentRequestBody": {
        "type": "object",
        "required": ["prompt"],
        "properties": {
            "prompt": {"type": "string"},
            "streaming": {"type": "boolean"},
            "temperature": {"type": "number"},
            "max_new_tokens": {"type": "integer", "format": "int32"},
            "top_p": {"type": "number"},
            "top_k": {"type": "integer"},
            "no_repeat_ngram_size": {"type": "integer"},
            "do_sample": {"type": "boolean"},
        },
    },
}

#: Keywords that only document a schema; they are left out of :data:`SCHEMAS`.
DOCUMENTATION_KEYWORDS: Tuple[str, ...] = ("description", "examples", "example", "default", "deprecated", "title")
