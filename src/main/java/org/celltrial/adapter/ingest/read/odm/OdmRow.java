package org.celltrial.adapter.ingest.read.odm;

import java.util.Map;

/**
 * One flattened row: a form instance (its non-repeating item groups merged) or one instance of a repeating item
 * group. {@code dataset} is the form's dataset name ({@link OdmFlattener#datasetName}); {@code values} are keyed by
 * column name (context columns first, then items by OID, upper case), in order.
 */
public record OdmRow(String dataset, Map<String, String> values) {
}
