package ca.uhn.fhir.jpa.dao;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * HAPI's {@link ResourceHistoryCalculator} for databases that keep the resource as text (H2, PostgreSQL), with the
 * same SHA-256 of that text computed in one pass.
 *
 * <p>Why: HAPI hashes the encoded resource with Guava's {@code hashUnencodedChars}, which feeds the digest two bytes
 * per call; that was ~6 % of an ingest worker's CPU (docs/benchmarks.md). Guava defines it as the hash of each
 * char's two bytes, low byte first, which is what this computes, in one call; the stored hash (which HAPI compares to
 * tell an unchanged resource on update) stays the same, as SinglePassHashResourceHistoryCalculatorTest checks.
 *
 * <p>HAPI-COUPLING: it lives in HAPI's package because the method it replaces is package-private (the one class of
 * ours outside org.celltrial.adapter; everything else that touches HAPI internals is in org.celltrial.adapter.hapi);
 * {@code hapi/JpaBeanSwaps#singlePassResourceHash} puts it in place of HAPI's bean, and {@code HapiUpgradeCanaryTest}
 * checks that the method is still there to override.
 */
public class SinglePassHashResourceHistoryCalculator extends ResourceHistoryCalculator {

    private static final HashFunction SHA_256 = Hashing.sha256();

    public SinglePassHashResourceHistoryCalculator(FhirContext ctx) {
        super(ctx, false);
    }

    @Override
    ResourceHistoryState calculateResourceHistoryState(IBaseResource resource, ResourceEncodingEnum encoding,
                                                       List<String> excludeElements) {
        String text = encodeResource(resource, encoding, excludeElements);
        return new ResourceHistoryState(text, null, ResourceEncodingEnum.JSON, SHA_256.hashBytes(utf16le(text)));
    }

    /** Each char as two bytes, low first: what hashUnencodedChars hashes (getBytes would replace a lone surrogate). */
    static byte[] utf16le(String text) {
        byte[] bytes = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes[2 * i] = (byte) c;
            bytes[2 * i + 1] = (byte) (c >>> 8);
        }
        return bytes;
    }
}
