"""Runs the two Python examples of the gRPC reference, unchanged, against the local gateway.

The examples are copied verbatim from shared/reference/service-reference.md (only the streaming
loop is re-indented: the reference lost its indentation). They are executed with `api_key`
bound to the gateway's server-held key and `grpc.secure_channel` redirected to an insecure
channel to the gateway, so the very code a user would copy must work as printed.

Needs: grpcio, grpcio-tools, pytest; the gateway binary (XAI_GATEWAY_BIN, default
target/debug/xai-gateway, built with `cargo build -p xai-gateway`).
"""

import contextlib
import io
import os
import pathlib
import socket
import subprocess
import sys
import time

import grpc
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

UNARY_EXAMPLE = '''
import grpc
from xai_api import chat_pb2, chat_pb2_grpc
channel = grpc.secure_channel('api.x.ai:443', grpc.ssl_channel_credentials())
stub = chat_pb2_grpc.ChatStub(channel)
metadata = [('authorization', f'Bearer {api_key}')]
request = chat_pb2.ChatCompletionRequest(
model="grok-4",
messages=[
chat_pb2.Message(role="user", content="Hello!")
]
)
response = stub.CreateChatCompletion(request, metadata=metadata)
print(response.choices[0].message.content)
'''

STREAMING_EXAMPLE = '''
# Streaming example
stream = stub.CreateChatCompletionStream(request, metadata=metadata)
for chunk in stream:
    if chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="")
'''


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def stubs_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    protos = sorted(str(path.relative_to(REPO)) for path in (REPO / "proto" / "xai_api").glob("*.proto"))
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", "-Iproto", f"--python_out={out}", f"--grpc_python_out={out}", *protos],
        cwd=REPO,
        check=True,
    )
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    binary = pathlib.Path(os.environ.get("XAI_GATEWAY_BIN", REPO / "target" / "debug" / "xai-gateway"))
    if not binary.is_absolute():
        binary = REPO / binary
    assert binary.exists(), f"build the gateway first: cargo build -p xai-gateway ({binary} is missing)"
    data_dir = tmp_path_factory.mktemp("data")
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [str(binary), "--listen", address, "--data-dir", str(data_dir), "--static-dir", str(data_dir / "dist"), "--stream-rate", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert "xai-gateway listening on" in line, f"gateway did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        key_file = data_dir / "server-key"
        for _ in range(50):
            if key_file.exists():
                break
            time.sleep(0.1)
        yield address, key_file.read_text().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_example(source, namespace):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "<reference example>", "exec"), namespace)
    return printed.getvalue()


def test_reference_examples_run_unchanged(stubs_dir, gateway, monkeypatch):
    address, api_key = gateway
    monkeypatch.setattr(grpc, "secure_channel", lambda target, credentials, *args, **kwargs: grpc.insecure_channel(address))
    namespace = {"api_key": api_key}

    unary_printed = run_example(UNARY_EXAMPLE, namespace)
    answer = unary_printed.rstrip("\n")
    assert answer.strip(), "the unary example printed an answer"
    assert "```" in answer, "the answer is markdown with a code block"

    streamed_printed = run_example(STREAMING_EXAMPLE, namespace)
    assert streamed_printed == answer, "the streamed text equals the unary answer"
