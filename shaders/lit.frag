// The lit material, fragment stage: glTF metallic-roughness (material.glsl, pbr.glsl) under
// the sun and the sky's ambient light, faded into the sky with distance (sky.glsl), tone
// mapped; an sRGB target encodes the result on write.
#version 450
#extension GL_EXT_multiview : require
#include "frame.glsl"
#include "sky.glsl"
#include "pbr.glsl"
#include "material.glsl"
#include "shadow.glsl"

layout(location = 0) in vec3 inWorldPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec4 inColor;
layout(location = 3) in vec2 inUv;

layout(location = 0) out vec4 outColor;

void main() {
  const vec3 eye = frame.eyePosition[gl_ViewIndex + kFirstView].xyz;
  const vec3 toEye = normalize(eye - inWorldPosition);
  vec3 n = normalize(inNormal);
  if (!gl_FrontFacing) n = -n;  // the back of a double-sided face
  float alpha;
  const Surface surface = materialSurface(inWorldPosition, n, inUv, inColor, alpha);
  // The one place light reaches the surface, the sun's share shadowed (shadow.glsl).
  const vec3 lit = shadeSurface(surface, toEye, sunShadow(inWorldPosition, n));
  outColor = vec4(toneMapNeutral(applyFog(lit, inWorldPosition, eye)), alpha);
}
