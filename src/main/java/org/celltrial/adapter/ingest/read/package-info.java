/**
 * Dataset file formats: one {@link org.celltrial.adapter.ingest.read.DatasetReader} per format, streaming rows as
 * strings, chosen by file extension in {@link org.celltrial.adapter.ingest.read.DatasetReaders}. Subpackages:
 * {@code xpt} (SAS XPORT v5), {@code json} (Dataset-JSON v1.1, JSON and NDJSON), {@code define} (Define-XML 2.0/2.1,
 * the metadata of a delivery, not a dataset). Numbers become text in one way for every format
 * ({@link org.celltrial.adapter.ingest.read.NumberText}). Depends on nothing else of the adapter. The format decisions
 * are written up in docs/dataset-formats.md.
 */
package org.celltrial.adapter.ingest.read;
