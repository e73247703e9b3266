// The lit material, vertex stage. One shader for mono and stereo: gl_ViewIndex is 0 outside a
// multiview render pass and picks the eye inside one; kFirstView (frame.glsl) picks it where
// each eye has a pass of its own.
#version 450
#extension GL_EXT_multiview : require
#include "frame.glsl"

layout(push_constant) uniform Draw {
  mat4 model;
  vec4 color;  // albedo, linear
} draw;

layout(location = 0) in vec3 inPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec4 inColor;  // RGBA8 unorm
layout(location = 3) in vec2 inUv;

layout(location = 0) out vec3 outWorldPosition;
layout(location = 1) out vec3 outNormal;
layout(location = 2) out vec4 outColor;
layout(location = 3) out vec2 outUv;

void main() {
  const vec4 world = draw.model * vec4(inPosition, 1.0);
  outWorldPosition = world.xyz;
  // Inverse-transpose keeps normals right under non-uniform scale.
  outNormal = transpose(inverse(mat3(draw.model))) * inNormal;
  outColor = inColor * draw.color;
  outUv = inUv;
  gl_Position = frame.viewProjection[gl_ViewIndex + kFirstView] * world;
}
