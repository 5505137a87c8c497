import sharp, { type Sharp } from 'sharp';

/** The largest side an original keeps; larger images are scaled down to it. */
export const maxImageSide = 4096;
/** The widest display version, the one pages show (the original is a click away). */
export const displayWidth = 1200;
// Decoding a "pixel bomb" (a small file that claims billions of pixels) would take the server's
// memory; 50 megapixels covers any screenshot or phone photo.
const maxInputPixels = 50_000_000;

export type ProcessedImage = {
  original: { bytes: Buffer; width: number; height: number };
  display: { bytes: Buffer; width: number; height: number } | null;
};

type Format = 'png' | 'jpeg' | 'gif' | 'webp';

function encoder(image: Sharp, format: Format): Sharp {
  switch (format) {
    case 'png':
      return image.png({ compressionLevel: 6 });
    case 'jpeg':
      return image.jpeg({ quality: 85, mozjpeg: true });
    case 'gif':
      return image.gif();
    case 'webp':
      return image.webp({ quality: 85 });
  }
}

/**
 * Decodes and re-encodes an image in its own format. Re-encoding keeps no metadata at all (sharp
 * writes none unless asked): no EXIF, no GPS position, no XMP, no comments, no embedded profile.
 * The EXIF orientation is applied to the pixels first, so a phone photo stays upright without it.
 * Null when the bytes do not decode as an image.
 */
export async function processImage(bytes: Buffer, format: Format): Promise<ProcessedImage | null> {
  const animated = format === 'gif' || format === 'webp';
  const input = () =>
    sharp(bytes, { animated, limitInputPixels: maxInputPixels, failOn: 'error' }).rotate();
  try {
    const original = await encoder(
      input().resize({
        width: maxImageSide,
        height: maxImageSide,
        fit: 'inside',
        withoutEnlargement: true,
      }),
      format,
    ).toBuffer({ resolveWithObject: true });
    const width = original.info.width;
    // Animated images report the height of all frames stacked; a page shows one frame's.
    const height = original.info.pageHeight ?? original.info.height;
    if (width <= displayWidth)
      return { original: { bytes: original.data, width, height }, display: null };
    const display = await encoder(input().resize({ width: displayWidth }), format).toBuffer({
      resolveWithObject: true,
    });
    return {
      original: { bytes: original.data, width, height },
      display: {
        bytes: display.data,
        width: display.info.width,
        height: display.info.pageHeight ?? display.info.height,
      },
    };
  } catch {
    return null;
  }
}
