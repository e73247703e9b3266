// A deliberately broken lit material for the golden-picture test: the classic sign error,
// lighting with the direction light travels instead of the direction towards the light.
// Rendering the demo scene with it must NOT match the golden pictures.
#version 450
#extension GL_EXT_multiview : require
#include "../../../shaders/frame.glsl"

layout(location = 0) in vec3 inWorldPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec4 inColor;
layout(location = 3) in vec2 inUv;  // read (as nothing) so the interface matches lit.vert's

layout(location = 0) out vec4 outColor;

void main() {
  const vec3 n = normalize(inNormal);
  const vec3 toLight = normalize(frame.lightDirection.xyz);  // wrong sign
  const float diffuse = max(dot(n, toLight), 0.0);
  const vec3 toEye = normalize(frame.eyePosition[gl_ViewIndex].xyz - inWorldPosition);
  const vec3 halfway = normalize(toLight + toEye);
  const float specular = diffuse > 0.0 ? 0.25 * pow(max(dot(n, halfway), 0.0), 32.0) : 0.0;
  outColor = vec4(inColor.rgb * (frame.ambient.rgb + frame.lightColor.rgb * diffuse) +
                  frame.lightColor.rgb * specular, inColor.a);
  if (inUv.x < -1e30) outColor = vec4(0.0);  // never: reads inUv so the optimiser keeps it
}
