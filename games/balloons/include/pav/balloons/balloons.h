// Balloon darts, the example title (docs/new-title.md walks through it): up to four visitors stand
// on a line (z = 0, looking down -Z, Y up) and throw balls at eight balloons drifting 4 to 7.5 m
// away. A throw is a trigger release: the ball leaves the right hand (InputFrame::hands[1]) at the
// hand's velocity. A hit pops the balloon for a point; a new one appears elsewhere. 60 s a round.
//
//   auto title = pav::balloons::makeTitle();
//   title->setup({.players = 2, .seed = 7});
//   InputFrame in[2]; title->botInput(0, in[0]); title->botInput(1, in[1]); title->step(in);
#pragma once

#include "pav/core/title.h"
#include "pav/render/presenter.h"

namespace pav::balloons {

constexpr double kTickRateHz = 120.0, kRoundSeconds = 60.0;
constexpr int kMaxSeats = 4, kBalloons = 8;
constexpr float kBalloonRadius = 0.25f, kBallRadius = 0.05f;
// The networked state: objects 0..7 are the balloons, then each seat's ball (below y = -1: in
// the visitor's pocket). The scalars, by index: each seat's score, the pops counter, each balloon's generation.
enum Scalar { kScore0 = 0, kPops = kMaxSeats, kGeneration0 = kPops + 1, kScalarCount = kGeneration0 + kBalloons };

std::unique_ptr<core::Title> makeTitle();
void registerTitle();                       // "balloons" in the registry
glm::vec3 restHand(int seat, int players);  // where a seat's hand rests
// A spectator's (seat -1) or a visitor's view of the round; nullptr if not a balloons title.
std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat = -1);
}  // namespace pav::balloons
