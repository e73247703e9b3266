// pav::core: the engine's ground floor.
//
// What it is for: everything every other room needs and nothing that touches hardware.
//   - log.h        levelled logging to stderr, printf-style, no allocation per message
//   - error.h      pav::Error and the CHECK macros that record the failing call, file and line
//   - fixed_step.h the fixed-timestep accumulator: simulation sees tick numbers and dt, never a clock
//   - config.h     a small key = value configuration type with typed, range-checked reads
//   - title.h      the Title contract every experience implements, InputFrame, the registry
//
// How to use it: include this header, or just the one piece you need. Only the main loop reads
// a clock (core::Stopwatch); everything below it is handed time explicitly.
#pragma once

#include "pav/core/config.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/core/log.h"
#include "pav/core/title.h"
