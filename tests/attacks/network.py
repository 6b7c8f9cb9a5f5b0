"""Tries to reach the network: a TCP connection to a port the test opened on 127.0.0.1, and one to a
public address, and prints what happened.

Sockets are refused by the worker's seccomp filter in every mode (and in bubblewrap mode the worker also
has a network namespace of its own with no interfaces up): both fail.
"""
import socket


def attempt(address):
    try:
        socket.create_connection(address, timeout=1).close()
        return "connected"
    except OSError:
        return "blocked"


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    print(f"local: {attempt(('127.0.0.1', @PORT@))}, public: {attempt(('1.1.1.1', 53))}")
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 1,
    "outcome": {"full": True, "output_says": "local: blocked, public: blocked"},
}
