"""The echo server of bench/net_echo.rs on asyncio or uvloop (loopback only).

    python3 bench/net_echo_server.py asyncio|uvloop

Prints its address (host:port) on the first line, then serves until killed. Exits with
status 2 if uvloop is asked for and not installed (`pip install uvloop`).
"""

import asyncio
import socket
import sys


async def handle(reader, writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = await reader.read(4096)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"{host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    flavour = sys.argv[1] if len(sys.argv) > 1 else "asyncio"
    if flavour == "uvloop":
        try:
            import uvloop
        except ImportError:
            print("uvloop is not installed", flush=True)
            sys.exit(2)
        uvloop.install()
    asyncio.run(main())
