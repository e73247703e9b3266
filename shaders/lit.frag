// The lit material, fragment stage: one directional light, ambient, a soft Blinn-Phong
// highlight. Output is linear; an sRGB target encodes it on write.
#version 450
#extension GL_EXT_multiview : require
#include "frame.glsl"

layout(location = 0) in vec3 inWorldPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec4 inColor;

layout(location = 0) out vec4 outColor;

void main() {
  const vec3 n = normalize(inNormal);
  const vec3 toLight = normalize(-frame.lightDirection.xyz);
  const float diffuse = max(dot(n, toLight), 0.0);
  const vec3 toEye = normalize(frame.eyePosition[gl_ViewIndex + kFirstView].xyz - inWorldPosition);
  const vec3 halfway = normalize(toLight + toEye);
  const float specular = diffuse > 0.0 ? 0.25 * pow(max(dot(n, halfway), 0.0), 32.0) : 0.0;
  const vec3 lit = inColor.rgb * (frame.ambient.rgb + frame.lightColor.rgb * diffuse) +
                   frame.lightColor.rgb * specular;
  outColor = vec4(lit, inColor.a);
}
