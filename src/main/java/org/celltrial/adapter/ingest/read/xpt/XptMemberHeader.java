package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetMetadata.VariableType;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a member's headers (TS-140): member and descriptor header records, the two records naming the dataset, the
 * namestr header with the variable count, one namestr per variable (140 bytes, 136 from VAX/VMS), and the OBS
 * header after which the rows start. Every count and length is checked before it is used, so a lying header fails
 * with a message instead of a huge allocation.
 */
final class XptMemberHeader {

    /** A row wider than this is refused: real SDTM rows are a few KB, and a row is held in memory while read. */
    static final int MAX_ROW_LENGTH = 1 << 20;
    /** Character variables are at most 32,767 bytes (the length field is a signed 16-bit number). */
    static final int MAX_CHARACTER_LENGTH = Short.MAX_VALUE;

    private XptMemberHeader() {
    }

    /** Reads the headers of the member starting at the current record (which must be a member header). */
    static XptLayout read(XptRecords records, SasText text) throws IOException, UnreadableDatasetException {
        String file = records.fileName();
        long memberOffset = records.offset();
        byte[] member = records.take("a member header");
        if (XptRecords.startsWith(member, XptHeaders.MEMBER_V8)) {
            throw new UnreadableDatasetException(file + ": SAS XPORT v8/v9 member at byte offset " + memberOffset
                    + " is not supported; export the dataset as XPORT v5 (the FDA transport format)");
        }
        if (!XptHeaders.is(member, XptHeaders.MEMBER)) {
            throw new UnreadableDatasetException(file + ": expected a member header record at byte offset "
                    + memberOffset + ", found something else");
        }
        int namestrLength = XptHeaders.digits(member, 75, 3);
        if (namestrLength != 140 && namestrLength != 136) {
            throw new UnreadableDatasetException(file + ": the member header at byte offset " + memberOffset
                    + " declares a namestr length other than 140 or 136");
        }
        expect(records, XptHeaders.DESCRIPTOR, "descriptor header");
        byte[] first = records.take("the member's first descriptor record");
        byte[] second = records.take("the member's second descriptor record");
        String name = XptRecords.ascii(first, 8, 8).trim().toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new UnreadableDatasetException(file + ": the member at byte offset " + memberOffset + " has no name");
        }
        String label = text.decode(second, 32, 40).trim();

        long namestrHeaderOffset = records.offset();
        byte[] namestrHeader = expect(records, XptHeaders.NAMESTR, "namestr header");
        int count = XptHeaders.digits(namestrHeader, 54, 4);
        if (count < 0 || XptHeaders.digits(namestrHeader, 48, 6) != 0 || XptHeaders.digits(namestrHeader, 58, 20) != 0) {
            throw new UnreadableDatasetException(file + ": the namestr header at byte offset " + namestrHeaderOffset
                    + " of member " + name + " does not hold a 4-digit variable count (TS-140 allows at most 9999)");
        }
        if (count == 0) {
            throw new UnreadableDatasetException(file + ": member " + name + " declares no variables");
        }
        XptLayout layout = readNamestrs(records, text, name, label, count, namestrLength);
        long obsOffset = records.offset();
        byte[] obs = records.peek();
        if (!XptHeaders.is(obs, XptHeaders.OBSERVATIONS)) {
            throw new UnreadableDatasetException(file + ": member " + name + " declares " + count
                    + " variables but no OBS header follows them at byte offset " + obsOffset
                    + " (the variable count is wrong or the file is damaged)");
        }
        records.take("the OBS header");
        return layout;
    }

    private static XptLayout readNamestrs(XptRecords records, SasText text, String member, String label, int count,
                                          int namestrLength) throws IOException, UnreadableDatasetException {
        String file = records.fileName();
        List<DatasetMetadata.Variable> variables = new ArrayList<>();
        List<XptLayout.Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        byte[] namestr = new byte[namestrLength];
        int filled = 0;
        byte[] record = null;
        int inRecord = XptRecords.LENGTH;
        long rowLength = 0;
        long areaOffset = records.offset();
        for (int index = 1; index <= count; index++) {
            long namestrOffset = areaOffset + (long) (index - 1) * namestrLength;
            while (filled < namestrLength) {
                if (inRecord == XptRecords.LENGTH) {
                    long recordOffset = records.offset();
                    record = records.take("namestr " + index + " of member " + member);
                    if (XptHeaders.is(record, XptHeaders.OBSERVATIONS)) {
                        throw new UnreadableDatasetException(file + ": member " + member + " declares " + count
                                + " variables but its OBS header comes at byte offset " + recordOffset + ", after "
                                + (index - 1) + " of them (the variable count is wrong)");
                    }
                    inRecord = 0;
                }
                int n = Math.min(namestrLength - filled, XptRecords.LENGTH - inRecord);
                System.arraycopy(record, inRecord, namestr, filled, n);
                filled += n;
                inRecord += n;
            }
            filled = 0;
            XptNamestr parsed = XptNamestr.parse(namestr, text);
            String where = file + ": variable " + index + " of member " + member + " (namestr at byte offset "
                    + namestrOffset + ")";
            parsed.check(where);
            if (!names.add(parsed.name())) {
                throw new UnreadableDatasetException(where + " repeats the name " + parsed.name());
            }
            rowLength = Math.max(rowLength, (long) parsed.position() + parsed.length());
            if (rowLength > MAX_ROW_LENGTH) {
                throw new UnreadableDatasetException(where + " makes a row longer than " + MAX_ROW_LENGTH
                        + " bytes; refused");
            }
            variables.add(new DatasetMetadata.Variable(parsed.name(), parsed.label(),
                    parsed.numeric() ? VariableType.DOUBLE : VariableType.STRING, parsed.length(),
                    parsed.displayFormat(), ""));
            fields.add(new XptLayout.Field(parsed.name(), parsed.numeric(), parsed.position(), parsed.length()));
        }
        // the rest of the last namestr record is padding
        return XptLayout.of(member, label, variables, fields);
    }

    private static byte[] expect(XptRecords records, String header, String what)
            throws IOException, UnreadableDatasetException {
        long offset = records.offset();
        byte[] record = records.take("the " + what);
        if (!XptHeaders.is(record, header)) {
            throw new UnreadableDatasetException(records.fileName() + ": expected the " + what
                    + " record at byte offset " + offset + ", found something else");
        }
        return record;
    }
}
