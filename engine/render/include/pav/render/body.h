// The visitor's own body (issue 15): what a seat shows of the person in it. A title's presenter
// declares it (Presenter::body: controllers or gloves at the hands, or the hands on something
// the seat holds: a car's steering wheel in its cockpit, a bike's handlebars); the host draws it
// with BodyDrawer, at the newest pose, located just before the frame is drawn (in a headset:
// after xrLocateViews, the grip spaces located again at the frame's predicted display time).
//
//   host, once:       for (MeshData& m : BodyDrawer::meshes()) ids.push_back(renderer.loadMesh(m));
//                     drawer.setMeshes(ids);
//   host, per frame:  presenter.present(state, scene, ...);
//                     render::Body body; presenter.body(state, body);
//                     ... locate the hands late (xr::Actions::locateHands) ...
//                     drawer.draw(body, hands, scene);   // appends draws, allocates nothing
//
// Frames: a hand's grip pose is OpenXR's (the controller's handle, -Z along it, +Y up from
// the back of the hand). A held thing's `mount` is in the scene's world: the steering wheel's
// hub with its axis along the mount's +Z (towards the visitor) and its 9-to-3 line along +X;
// the handlebars' centre with the bar along +X and the ride towards -Z. Vulkan-free (pav_scene).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/camera.h"
#include "pav/render/mesh.h"
#include "pav/render/scene.h"

namespace pav::render {

struct Body {
  enum class Hands : uint8_t {
    Controllers,  // the controllers the visitor holds, where their grip poses say
    Gloves,       // gloved hands where the grip poses say (a mallet's handle in the right one)
    OnHeld,       // gloved hands on what the seat holds (`held`), wherever the controllers are
  };
  enum class Held : uint8_t { None, SteeringWheel, Handlebars };
  Hands hands = Hands::Controllers;
  Held held = Held::None;
  Pose mount;            // the held thing in the scene's world (see the frames above)
  float turn = 0.0f;     // the steering wheel's turn, radians, positive clockwise as the visitor sees it
  bool cockpit = false;  // a dashboard, a cowl and the wheel's column around a steering wheel
};

// The visitor's hands as located for the frame being drawn, in the scene's world.
struct BodyHands {
  std::array<bool, 2> tracked{};  // [0] left, [1] right
  std::array<Pose, 2> grip{};
};

// Colours of the body's parts (linear RGBA; the tests find them in pictures).
inline constexpr glm::vec4 kControllerShell{0.10f, 0.10f, 0.11f, 1.0f};
inline constexpr glm::vec4 kControllerRing{0.15f, 0.70f, 0.95f, 1.0f};
inline constexpr glm::vec4 kGloveColor{0.90f, 0.28f, 0.03f, 1.0f};
inline constexpr glm::vec4 kRimColor{0.05f, 0.05f, 0.06f, 1.0f};
inline constexpr glm::vec4 kRimMarkColor{0.04f, 0.90f, 0.06f, 1.0f};  // the wheel's top-centre stripe
// The steering wheel's rim radius (m) and how far its top-centre stripe sits from the hub.
inline constexpr float kWheelRimRadius = 0.18f;

class BodyDrawer {
 public:
  // The meshes, in the order setMeshes expects their ids back: uploaded once by the host.
  static std::vector<MeshData> meshes();
  void setMeshes(std::span<const MeshId> ids);
  bool ready() const { return ready_; }

  // Appends the body's draws to `scene`: the held thing (and the cockpit) at its mount, the
  // hands at their grips or on the held thing. Allocates nothing beyond the scene's reserve.
  void draw(const Body& body, const BodyHands& hands, Scene& scene) const;

  // The steering wheel's model matrix (the mount turned by `turn` about its axis).
  static glm::mat4 wheelModel(const Body& body);
  // Where a held thing puts hand `hand` (0 left, 1 right), in the scene's world: on the rim at
  // 9 and 3 o'clock (turning with the wheel), on the bars' hoods.
  static Pose heldHand(const Body& body, int hand);
  // The top-centre stripe of the steering wheel, in the scene's world (the tests look for it).
  static glm::vec3 wheelMark(const Body& body);

 private:
  enum Part { kController, kRing, kGlove, kWheel, kWheelMark, kCockpit, kBars, kParts };
  std::array<MeshId, kParts> ids_{};
  bool ready_ = false;
};

}  // namespace pav::render
