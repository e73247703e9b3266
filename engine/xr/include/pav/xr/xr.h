// pav::xr: the engine's OpenXR layer, through the Khronos loader (any conformant runtime; in
// tests and on machines without a headset, the project's simulated headset tools/xr-sim).
//
// What it is for: putting a visitor in a headset. It finds the runtime and headset, lets the
// runtime create the renderer's Vulkan instance and device (XR_KHR_vulkan_enable2), runs the
// session's state machine and frame loop (xrWaitFrame paces the station; views and hands are
// located at the predicted display time), draws both eyes in one multiview pass into the
// runtime's swapchain, and reads the controllers (poses, trigger, grip, thumbstick, buttons)
// and drives their haptics. Titles never see OpenXR: they get core::InputFrame hands in their
// own coordinates and a Scene that the engine draws.
//
// How to use it (Initialization / Update / Draw / De-initialization):
//   auto opened = xr::Runtime::open({});            // no runtime: opened.reason, fall back
//   render::ContextDesc desc; desc.creator = opened.runtime->vulkanCreator();
//   render::Context context(desc);                  // made by the runtime
//   render::Renderer renderer(context, {});
//   xr::Session session(*opened.runtime, context, {.space = xr::SpaceKind::Stage});
//   xr::XrSwapchainTarget target(session, context); // one 2-layer swapchain (+ depth)
//   xr::Actions actions(session, "hockey", "Robotic air hockey");
//   xr::PlaySpace play = xr::PlaySpace::standingAt(seatEye, tableFrame);
//   while (!session.done()) {
//     xr::Frame frame;
//     if (!session.beginFrame(frame)) continue;     // idle, stopping, exiting
//     actions.sync(frame.displayTime); actions.fill(play, input); step the title; fill scene
//     std::array<render::View, 2> views;
//     if (frame.shouldRender && session.locateViews(frame, play, views))
//       renderer.drawFrame(target, scene, views);
//     session.endFrame(frame, &target);
//   }
//   quitting: session.requestExit(), then keep looping until done().
//   destruction in reverse order of creation (RAII owners everywhere; the runtime last).
//
// Index:
//   handles.h           XR_CHECK, result names, move-only owners of OpenXR handles
//   runtime.h           Runtime: instance, headset system, view configuration, Vulkan creator
//   session.h           Session: state machine, frame loop, STAGE / LOCAL spaces, recentering
//   play_space.h        PlaySpace: play space -> scene world -> title coordinates (plain math)
//   swapchain_target.h  XrSwapchainTarget: the runtime's swapchain as a render::Target
//   actions.h           Actions: one action set per title, four controllers, haptics
//   haptics.h           HapticCues: jolts and held rumbles a host asks for, as pulses
#pragma once

#include "pav/xr/actions.h"
#include "pav/xr/handles.h"
#include "pav/xr/haptics.h"
#include "pav/xr/play_space.h"
#include "pav/xr/runtime.h"
#include "pav/xr/session.h"
#include "pav/xr/swapchain_target.h"
