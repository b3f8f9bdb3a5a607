/**
 * Image archives: {@link dev.berth.manager.image.archive.ImageImporter} reads an OCI image layout or a
 * {@code docker save} tar in one pass ({@code ArchiveReader}) into the content store and unpacks the images;
 * {@link dev.berth.manager.image.archive.ImageExporter} writes either format
 * ({@link dev.berth.manager.image.archive.ArchiveFormat}).
 */
package dev.berth.manager.image.archive;
