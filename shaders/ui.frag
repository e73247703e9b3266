// The UI material, fragment stage: rounded rectangles as an analytic signed distance, glyphs
// from the SDF atlas with an outline, both antialiased over one screen pixel (fwidth), so text
// stays crisp at any distance. Output is premultiplied linear colour (blend: one,
// one-minus-source-alpha); an sRGB target encodes it on write.
#version 450
#extension GL_EXT_multiview : require

layout(set = 1, binding = 0) uniform sampler2D atlas;

layout(location = 0) in vec2 inLocal;
layout(location = 1) in vec2 inUv;
layout(location = 2) flat in vec4 inShape;
layout(location = 3) flat in vec4 inColor;
layout(location = 4) flat in vec4 inOutline;
layout(location = 5) flat in float inSpread;

layout(location = 0) out vec4 outColor;

void main() {
  if (inShape.x < 0.5) {
    // Rounded rectangle: distance in metres from its edge, negative inside.
    const vec2 halfSize = inShape.zw;
    const float r = inShape.y;
    const vec2 q = abs(inLocal * halfSize) - halfSize + r;
    const float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
    const float coverage = clamp(0.5 - d / max(fwidth(d), 1e-6), 0.0, 1.0);
    const float a = inColor.a * coverage;
    outColor = vec4(inColor.rgb * a, a);
    return;
  }
  // Glyph: the field holds 0.5 on the outline, 1 at `spread` texels inside, 0 as far outside.
  const float field = texture(atlas, inUv).r;
  const float d = (field - 0.5) * 2.0 * inSpread;  // texels, positive inside
  const vec2 texelsPerPixel = fwidth(inUv) * vec2(textureSize(atlas, 0));
  const float w = max(0.5 * (texelsPerPixel.x + texelsPerPixel.y), 1e-4);
  const float fill = clamp(d / w + 0.5, 0.0, 1.0);
  const float fillA = inColor.a * fill;
  float a = fillA;
  vec3 rgb = inColor.rgb * fillA;
  if (inOutline.a > 0.0) {
    const float ring = clamp((d + inShape.y) / w + 0.5, 0.0, 1.0);
    const float outA = inOutline.a * ring * (1.0 - fillA);
    rgb += inOutline.rgb * outA;
    a += outA;
  }
  outColor = vec4(rgb, a);
}
