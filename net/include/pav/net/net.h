// pav::net: what crosses the network between a pavilion's session servers and its stations.
//
// What it is for: an authoritative server runs a title's simulation for a session and streams
// its state to the stations (one per visitor) at a latency a person in a headset cannot feel;
// the stations send their visitors' inputs and draw the session. net uses core only: it never
// includes render or XR headers, and titles never include ENet.
//
// How to use it:
//   SessionServer server({.title = "hockey", .setup = {.players = 2}});      // a session host
//   SessionStation station({.host = "127.0.0.1", .port = server.port()});   // a station
//   loop: server.update(now, 1);  station.update(now, &input);  draw(station.view());
// `pavilion server` and `pavilion station` are these two classes with a command line;
// net/PROTOCOL.md describes the session wire format and the behaviour in prose; the control
// channel's envelope is drawn in control.h.
//
// Index:
//   bitstream.h      bit-packed serialize streams: one function writes, reads and measures;
//                    range-checked reads; quantized floats, smallest-three quaternions
//   snapshot.h       SnapshotCodec: a title's StateSchema as bits (quantize, unchanged bit,
//                    relative indices, deltas against an acknowledged baseline)
//   protocol.h       the messages: handshake, redundant inputs, snapshots, events, end
//   transport.h      ENet owners (library with a pooled allocator, host), channels, timeouts;
//                    parseHostPort ("HOST:PORT" from a command line)
//   server.h         SessionServer: steps the title, seats stations, sends snapshots, stats
//   station.h        SessionStation: clock, interpolation, prediction with rewind and replay,
//                    reconnection, stats
//   interpolation.h  ServerClock and InterpolationBuffer (adaptive delay, Hermite, slerp)
//   conditioner.h    NetConditioner: latency, jitter, loss, duplication, reordering on UDP,
//                    with profiles (none, lan, 5g, bad), for tests and demos
//   control.h        the pavilion's control channel (director, station agents, `pavilion
//                    ctl`): ControlKey (the pavilion's key file), ControlLink (greeting with
//                    nonces, sealed JSON messages, HMAC-SHA-256, counters against replay)
#pragma once

#include "pav/net/bitstream.h"
#include "pav/net/conditioner.h"
#include "pav/net/control.h"
#include "pav/net/interpolation.h"
#include "pav/net/protocol.h"
#include "pav/net/server.h"
#include "pav/net/snapshot.h"
#include "pav/net/station.h"
#include "pav/net/transport.h"
