// The sun's shadow maps, depth only (no fragment stage): the lit material's draws, each into
// the cascade this pipeline is specialised for (ShadowPass in engine/render/src/shadows.cpp).
#version 450

layout(set = 0, binding = 1) uniform Shadows {
  mat4 cascadeViewProjection[4];
  vec4 texelWorld;
  vec4 params;
} shadows;

layout(push_constant) uniform Draw {
  mat4 model;
  vec4 color;
} draw;

layout(constant_id = 1) const int kCascade = 0;

layout(location = 0) in vec3 inPosition;

void main() { gl_Position = shadows.cascadeViewProjection[kCascade] * draw.model * vec4(inPosition, 1.0); }
