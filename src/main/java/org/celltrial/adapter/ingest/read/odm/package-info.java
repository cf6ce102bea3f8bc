/**
 * CDISC ODM 1.3.x clinical data (REDCap, OpenClinica and other EDC exports) as datasets: {@link
 * org.celltrial.adapter.ingest.read.odm.OdmDatasetReader} streams {@code ClinicalData} one {@code SubjectData} at a time
 * and flattens it into one row per form instance ({@link org.celltrial.adapter.ingest.read.odm.OdmFlattener}), one
 * dataset per form. Depends on nothing else of the adapter.
 */
package org.celltrial.adapter.ingest.read.odm;
