// Internal to games/hockey: the title's class, shared by the rules (hockey_title.cpp), the
// robot (hockey_robot.cpp), the networked state (hockey_state.cpp) and the HUD (hockey_hud.cpp).
#pragma once

#include <optional>

#include "hockey_robot.h"
#include "pav/hockey/hockey.h"
#include "pav/physics/physics.h"

namespace pav::hockey {

// The networked state's scalars, by index (hockey_state.cpp says what each is); the HUD reads them.
enum Scalar { kScoreLeft, kScoreRight, kGoals, kLastScorer, kOver, kScalarCount };

class HockeyTitle final : public core::Title {
 public:
  HockeyTitle();
  const core::TitleInfo& info() const override;
  void setup(const core::TitleSetup& setup) override;
  void step(std::span<const core::InputFrame> inputs) override;
  void botInput(int seat, core::InputFrame& out) const override;
  void desktopInput(const core::DesktopControls& c, int seat, core::InputFrame& out) const override;
  bool checkInput(int seat, core::InputFrame& in) const override;
  uint64_t tick() const override { return tick_; }
  bool finished() const override { return match_.over; }
  uint64_t stateHash() const override;
  std::string results(bool json) const override;
  void describe(core::StateSchema& schema) const override;
  void capture(core::StateFrame& out) const override;
  void apply(const core::StateFrame& in) override;
  int ownObject(int seat) const override { return seat == 0 || seat == 1 ? 1 + seat : -1; }

  PuckState puck() const;
  glm::vec2 mallet(int seat) const { return malletPos_[seat]; }
  const MatchState& match() const { return match_; }
  const TableSpec& table() const { return table_; }
  const std::string& dataDir() const { return setup_.dataDir; }
  void placePuck(const PuckState& p);
  const RobotBrain& robot(int seat) const { return robots_[seat]; }

 private:
  void faceOff(int receivingSeat);
  void moveMallet(int seat, const core::InputFrame& in);
  void checkGoal();
  glm::vec2 clampToHalf(int seat, glm::vec2 p) const;
  void updateRobots();

  core::TitleSetup setup_;
  TableSpec table_;  // from assets/hockey/table.txt
  std::optional<physics::World> world_;
  physics::BodyId puck_, mallets_[2];
  glm::vec2 malletPos_[2]{};
  MatchState match_;
  uint64_t tick_ = 0;
  double matchSeconds_ = kDefaultMatchSeconds;
  RobotBrain robots_[2];  // each seat's robot senses every tick; it plays the seats without a visitor
};

}  // namespace pav::hockey
