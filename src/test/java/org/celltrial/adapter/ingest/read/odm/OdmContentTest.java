package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** ODM data and Define-XML are both .xml with an ODM root: told apart by their first elements. */
class OdmContentTest {

    private static OdmContent.Kind of(String xml) {
        return OdmContent.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theRealRedcapExportIsOdm() throws Exception {
        try (InputStream in = RedcapReferenceExport.xml()) {
            assertThat(OdmContent.of(in)).isEqualTo(OdmContent.Kind.ODM);
        }
    }

    @Test
    void theReferenceDefineXml21IsADefine() throws Exception {
        try (InputStream in = Files.newInputStream(ReferenceStudy.ROOT.resolve("define.xml"))) {
            assertThat(OdmContent.of(in)).isEqualTo(OdmContent.Kind.DEFINE_XML);
        }
    }

    @Test
    void aDefineXml20IsKnownByItsMetaDataVersion() {
        // 2.0 has no def: attribute on the root; its MetaDataVersion carries def:DefineVersion
        assertThat(of("<?xml version=\"1.0\"?><ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\""
                + " xmlns:def=\"http://www.cdisc.org/ns/def/v2.0\" ODMVersion=\"1.3.2\" FileType=\"Snapshot\">"
                + "<Study OID=\"S\"><GlobalVariables><StudyName>S</StudyName></GlobalVariables>"
                + "<MetaDataVersion OID=\"M\" Name=\"M\" def:DefineVersion=\"2.0.0\" def:StandardName=\"SDTM-IG\">"
                + "<ItemGroupDef OID=\"IG.DM\" Name=\"DM\"/></MetaDataVersion></Study></ODM>"))
                .isEqualTo(OdmContent.Kind.DEFINE_XML);
    }

    @Test
    void odmWithMetadataButNoDefineMarksIsOdmEvenWithoutClinicalData() {
        assertThat(of("<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><Study OID=\"S\">"
                + "<MetaDataVersion OID=\"M\" Name=\"M\"><ItemDef OID=\"I\" Name=\"I\" DataType=\"text\"/>"
                + "</MetaDataVersion></Study></ODM>")).isEqualTo(OdmContent.Kind.ODM);
        assertThat(of("<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><ClinicalData StudyOID=\"S\""
                + " MetaDataVersionOID=\"M\"/></ODM>")).isEqualTo(OdmContent.Kind.ODM);
    }

    @Test
    void otherXmlAndNonXmlAreNeither() {
        assertThat(of("<project><name>x</name></project>")).isEqualTo(OdmContent.Kind.OTHER);
        assertThat(of("<ODM xmlns=\"http://www.cdisc.org/ns/odm/v2.0\"><ClinicalData/></ODM>"))
                .isEqualTo(OdmContent.Kind.OTHER);
        assertThat(of("STUDYID,USUBJID\nS,1\n")).isEqualTo(OdmContent.Kind.OTHER);
        assertThat(of("")).isEqualTo(OdmContent.Kind.OTHER);
    }

    @Test
    void aDoctypeIsLeftToTheOdmReaderToRefuseAndIsNeverExpanded() {
        // the entity would name a file; nothing is resolved: the sniffer stops at the DOCTYPE
        assertThat(of("<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><ClinicalData>&x;</ClinicalData></ODM>"))
                .isEqualTo(OdmContent.Kind.ODM);
    }

    @Test
    void aFileBrokenAfterItsOdmRootIsOdmSoTheReaderSaysWhere() {
        assertThat(of("<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><Study <<")).isEqualTo(OdmContent.Kind.ODM);
    }

    @Test
    void theOdmReaderTakesOdmAndLeavesDefineXmlAlone() throws Exception {
        OdmDatasetReader reader = new OdmDatasetReader();
        try (InputStream in = RedcapReferenceExport.xml()) {
            assertThat(reader.readsContent("export.xml", in)).isTrue();
        }
        try (InputStream in = Files.newInputStream(ReferenceStudy.ROOT.resolve("define.xml"))) {
            assertThat(reader.readsContent("data.xml", in)).isFalse();
        }
    }
}
