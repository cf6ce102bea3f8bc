package org.celltrial.adapter.mapping;

import java.time.LocalDate;

/**
 * What the mapping needs to know about a trial subject: its resource id and its reference start
 * date (SDTM RFSTDTC, study day 1), when known at full precision.
 */
public record SubjectInfo(String id, LocalDate referenceStart) {
}
