// The sky, fragment stage: the analytic sky (sky.glsl) along this pixel's ray, with the sun's
// disc, tone mapped like the lit material so the fog meets it without a seam.
#version 450
#extension GL_EXT_multiview : require
#include "frame.glsl"
#include "sky.glsl"
#include "pbr.glsl"

layout(location = 0) in vec2 inNdc;
layout(location = 0) out vec4 outColor;

void main() {
  const int view = gl_ViewIndex + kFirstView;
  const vec4 far = frame.inverseViewProjection[view] * vec4(inNdc, 1.0, 1.0);
  const vec3 dir = normalize(far.xyz / far.w - frame.eyePosition[view].xyz);
  outColor = vec4(toneMapNeutral(skyRadiance(dir) + sunDisc(dir)), 1.0);
}
