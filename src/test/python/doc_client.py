#!/usr/bin/env python3
"""A car and a driver written from docs/protocol.md alone, in another language than the server.

Usage: doc_client.py WS_URL CAR_ID CAR_KEY DRIVER_TOKEN
Exits 0 when every step of the documented exchange behaves as the document says; otherwise
prints the step that did not and exits 1. Needs Debian's python3-websockets.
"""
import asyncio
import json
import sys

import websockets


async def recv(ws, wanted_type, timeout=30.0):
    """The next message of the wanted type; server pushes of other types ('cars') are skipped."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        message = json.loads(await asyncio.wait_for(ws.recv(), remaining))
        if message["type"] == wanted_type:
            return message
        if message["type"] != "cars":
            raise AssertionError(f"expected {wanted_type}, got {message}")


async def send(ws, message):
    await ws.send(json.dumps(message))


def check(condition, what):
    if not condition:
        raise AssertionError(what)


async def main(url, car_id, car_key, token):
    async with websockets.connect(url) as car, websockets.connect(url) as driver:
        await send(car, {"type": "hello", "role": "car", "carId": car_id, "credential": car_key,
                         "client": "doc-car/1", "protocol": 1})
        car_welcome = await recv(car, "welcome")
        check(car_welcome["protocol"] == 1, "welcome carries protocol 1")

        await send(driver, {"type": "hello", "role": "driver", "credential": token,
                            "client": "doc-driver/1", "protocol": 1})
        driver_welcome = await recv(driver, "welcome")
        driver_id = driver_welcome["peerId"]
        check(isinstance(driver_welcome.get("iceServers", []), list), "iceServers is a list")

        await send(driver, {"type": "list"})
        cars = await recv(driver, "cars")
        mine = [c for c in cars["cars"] if c["carId"] == car_id]
        check(mine and mine[0]["online"] and not mine[0]["driven"], f"car listed online and free: {cars}")

        await send(driver, {"type": "drive", "carId": car_id})
        granted = await recv(driver, "granted")
        check(granted["driverId"] == driver_id, "granted names this driver")
        check((await recv(car, "granted"))["driverId"] == driver_id, "car told who drives it")

        await send(driver, {"type": "offer", "sdp": "v=0 from python"})
        await send(driver, {"type": "candidate", "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
                            "sdpMid": "0", "sdpMLineIndex": 0})
        await send(driver, {"type": "candidate", "candidate": "", "sdpMid": "0"})
        offer = await recv(car, "offer")
        check(offer["sdp"] == "v=0 from python" and offer["from"] == driver_id, "offer relayed with from")
        first = await recv(car, "candidate")
        check(first["candidate"].startswith("candidate:1 ") and first["sdpMLineIndex"] == 0, "candidate relayed")
        end = await recv(car, "candidate")
        check(end["candidate"] == "", "end-of-candidates relayed")

        await send(car, {"type": "answer", "sdp": "v=0 answer", "unknownFutureField": 1})
        answer = await recv(driver, "answer")
        check(answer["from"] == car_welcome["peerId"], "answer relayed with the car's peerId")

        await send(driver, {"type": "drive"})
        error = await recv(driver, "error")
        check(error["code"] == "BAD_MESSAGE" and "carId" in error["message"], f"missing field named: {error}")

        await send(driver, {"type": "release"})
        check((await recv(driver, "released"))["carId"] == car_id, "driver told of the release")
        released = await recv(car, "released")
        check(released["driverId"] == driver_id and released["reason"], "car told of the release")

        await send(driver, {"type": "bye"})
        await asyncio.wait_for(driver.wait_closed(), 30)
        check(driver.close_code == 1000, f"bye closes with 1000, got {driver.close_code}")

    async with websockets.connect(url) as intruder:
        await send(intruder, {"type": "hello", "role": "car", "carId": car_id, "credential": "wrong",
                              "protocol": 1})
        error = await recv(intruder, "error")
        check(error["code"] == "AUTH_FAILED", "wrong key refused")
        await asyncio.wait_for(intruder.wait_closed(), 30)
        check(intruder.close_code == 1008 and intruder.close_reason == "AUTH_FAILED",
              f"closed 1008 AUTH_FAILED, got {intruder.close_code} {intruder.close_reason}")


if __name__ == "__main__":
    try:
        asyncio.run(main(*sys.argv[1:5]))
    except Exception as failure:  # report any failure as the step that broke
        print(f"FAILED: {type(failure).__name__}: {failure}")
        sys.exit(1)
    print("OK: the documented exchange works")
