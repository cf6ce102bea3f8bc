/**
 * Dataset file formats: one {@link org.celltrial.adapter.ingest.read.DatasetReader} per format, streaming rows as
 * strings. Depends on nothing else of the adapter.
 */
package org.celltrial.adapter.ingest.read;
