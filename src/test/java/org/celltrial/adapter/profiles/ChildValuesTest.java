package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.cli.StudyMapper;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.cli.DemoStudyResources;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ChildValues lists exactly what the model's own children() lists: names, order and the very same values. */
class ChildValuesTest {

    @Test
    void sameChildrenAsTheModelForEveryElementOfTheStudiesAndEdgeCases(@TempDir Path dir) throws Exception {
        List<Resource> resources = new ArrayList<>(DemoStudyResources.map(FhirContext.forR4Cached()));
        SyntheticStudyGenerator.write(dir, "CHILDREN-1", 10, 3);
        StudyMapper.map(dir, Path.of("mappings")).resources().all().forEach(m -> resources.add(m.resource()));
        resources.add(edgeCase());

        Deque<Base> todo = new ArrayDeque<>(resources);
        int elements = 0;
        int values = 0;
        while (!todo.isEmpty()) {
            Base element = todo.pop();
            elements++;
            List<Property> expected = element.children();
            List<ChildValues.Child> actual = ChildValues.of(element);
            assertThat(actual.stream().map(ChildValues.Child::name).toList()).as(element.fhirType())
                    .isEqualTo(expected.stream().map(Property::getName).toList());
            for (int i = 0; i < expected.size(); i++) {
                List<Base> want = expected.get(i).getValues();
                Base[] got = ChildValues.values(element, actual.get(i));
                assertThat(got).as(element.fhirType() + "." + actual.get(i).name()).hasSize(want.size());
                for (int k = 0; k < got.length; k++) {
                    if ("xhtml".equals(want.get(k).fhirType())) {
                        // Narrative.div is wrapped anew on each call
                        assertThat(got[k].fhirType()).isEqualTo("xhtml");
                        assertThat(got[k].primitiveValue()).isEqualTo(want.get(k).primitiveValue());
                        continue;
                    }
                    assertThat(got[k]).isSameAs(want.get(k));
                    if (got[k] != null) {
                        todo.push(got[k]);
                        values++;
                    }
                }
            }
        }
        assertThat(elements).isGreaterThan(5_000);
        assertThat(values).isGreaterThan(5_000);
    }

    /** Contained resources, extensions on primitives, choice types, narrative, nested extensions. */
    private static Resource edgeCase() {
        Observation o = new Observation();
        o.setId("edge");
        Patient contained = new Patient();
        contained.setId("p");
        contained.addName().setFamily("F").addGiven("G");
        o.getContained().add(contained);
        o.setSubject(new Reference("#p"));
        o.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>");
        DateTimeType effective = new DateTimeType("2021-02-03");
        effective.addExtension(new Extension("urn:e", new StringType("v")));
        o.setEffective(effective);
        o.setValue(new Range().setLow(new Quantity(1)).setHigh(new Quantity(2)));
        o.getCode().addCoding(new Coding("urn:s", "c", "d")).setText("t");
        o.addComponent().setCode(new CodeableConcept().setText("c")).setValue(new StringType("s"));
        Extension outer = new Extension("urn:outer");
        outer.addExtension(new Extension("urn:inner", new Quantity(3)));
        o.addExtension(outer);
        o.addModifierExtension(new Extension("urn:m", new StringType("m")));
        return o;
    }
}
