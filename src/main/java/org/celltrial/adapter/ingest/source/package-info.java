/**
 * Sources: the systems the adapter pulls trial data from (REDCap, a site's database, an SFTP folder) besides the
 * inbox. Every source <b>materializes a delivery</b> (a folder of dataset files plus {@code source.json}) and hands it
 * to the inbox atomically ({@link org.celltrial.adapter.ingest.source.DeliveryHandover}); from there the delivery is
 * ingested exactly like a dropped one (message store, idempotent re-delivery, provenance, report, reprocess). A
 * source's watermark advances only after its delivery is in the inbox. Configuration: {@code celltrial.sources}.
 */
package org.celltrial.adapter.ingest.source;
