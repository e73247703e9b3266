// The UI material, vertex stage: one instanced quad per panel, bar or glyph (UiGpuQuad in
// renderer_ui.cpp), its corners made from gl_VertexIndex. Mono, multiview (gl_ViewIndex) and
// a pass per eye (kFirstView) as the lit material.
#version 450
#extension GL_EXT_multiview : require
#include "frame.glsl"

layout(location = 0) in vec4 inCentre;   // xyz world; w: kind (0 rounded rect, 1 glyph)
layout(location = 1) in vec4 inAxisX;    // xyz half width; w: rect corner radius (m) / outline (texels)
layout(location = 2) in vec4 inAxisY;    // xyz half height; w: the atlas's spread (texels)
layout(location = 3) in vec4 inUv;       // glyph: u0 v0 u1 v1
layout(location = 4) in vec4 inColor;
layout(location = 5) in vec4 inOutline;

layout(location = 0) out vec2 outLocal;  // -1..1 across the quad
layout(location = 1) out vec2 outUv;
layout(location = 2) flat out vec4 outShape;  // kind, radius or outline, half width, half height
layout(location = 3) flat out vec4 outColor;
layout(location = 4) flat out vec4 outOutline;
layout(location = 5) flat out float outSpread;

const vec2 kCorners[6] = vec2[](vec2(-1, -1), vec2(1, -1), vec2(1, 1), vec2(-1, -1), vec2(1, 1), vec2(-1, 1));

void main() {
  const vec2 c = kCorners[gl_VertexIndex];
  const vec3 world = inCentre.xyz + c.x * inAxisX.xyz + c.y * inAxisY.xyz;
  outLocal = c;
  outUv = vec2(mix(inUv.x, inUv.z, 0.5 + 0.5 * c.x), mix(inUv.y, inUv.w, 0.5 - 0.5 * c.y));
  outShape = vec4(inCentre.w, inAxisX.w, length(inAxisX.xyz), length(inAxisY.xyz));
  outColor = inColor;
  outOutline = inOutline;
  outSpread = inAxisY.w;
  gl_Position = frame.viewProjection[gl_ViewIndex + kFirstView] * vec4(world, 1.0);
}
