package io.fedsecure.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.ObjectInputStream;

/**
 * The shape of the code base, checked on every module's main classes (tests are free to do what
 * they need). A rule that fails names the class and the line that breaks it.
 */
@AnalyzeClasses(packages = "io.fedsecure", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String SUPERLINK = "io.fedsecure.superlink..";
  private static final String SUPERNODE = "io.fedsecure.supernode..";
  private static final String CLI = "io.fedsecure.cli..";
  private static final String LOADGEN = "io.fedsecure.loadgen..";

  @ArchTest
  static final ArchRule cryptoAndProtocolImportNoDeployable =
      noClasses()
          .that()
          .resideInAnyPackage("io.fedsecure.crypto..", "io.fedsecure.protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SUPERLINK, SUPERNODE, CLI, LOADGEN);

  @ArchTest
  static final ArchRule cryptoImportsNoProtocol =
      noClasses()
          .that()
          .resideInAPackage("io.fedsecure.crypto..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.fedsecure.protocol..", "io.fedsecure.proto..");

  @ArchTest
  static final ArchRule superlinkNeverImportsTheOtherDeployables =
      noClasses()
          .that()
          .resideInAPackage(SUPERLINK)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SUPERNODE, CLI, LOADGEN);

  @ArchTest
  static final ArchRule supernodeNeverImportsTheOtherDeployables =
      noClasses()
          .that()
          .resideInAPackage(SUPERNODE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SUPERLINK, CLI, LOADGEN);

  /**
   * The load generator plays SuperNodes and an operator; it never reaches into the SuperLink's
   * code.
   */
  @ArchTest
  static final ArchRule loadgenNeverImportsTheSuperLink =
      noClasses()
          .that()
          .resideInAPackage(LOADGEN)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(SUPERLINK);

  @ArchTest
  static final ArchRule cliImportsNoDaemon =
      noClasses()
          .that()
          .resideInAPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SUPERLINK, SUPERNODE, LOADGEN);

  @ArchTest
  static final ArchRule noJavaDeserialization =
      noClasses().should().dependOnClassesThat().areAssignableTo(ObjectInputStream.class);

  @ArchTest
  static final ArchRule noTrustManagerThatTrustsEveryone =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.netty.handler.ssl.util.InsecureTrustManagerFactory");

  @ArchTest
  static final ArchRule noOverriddenTlsAuthority =
      noClasses().should().callMethodWhere(target(name("overrideAuthority")));

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("io.fedsecure.(**)").should().beFreeOfCycles();

  /**
   * Records (data) are exempt, and so are constructors whose bytecode carries parameters the source
   * does not (enums, inner, anonymous and local classes).
   */
  @ArchTest
  static final ArchRule noMethodOrConstructorTakesMoreThanFiveParameters =
      codeUnits().should(takeAtMostParameters(5));

  private static ArchCondition<JavaCodeUnit> takeAtMostParameters(int max) {
    return new ArchCondition<>("take at most " + max + " parameters") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        JavaClass owner = unit.getOwner();
        boolean synthetic =
            unit instanceof JavaConstructor
                && (owner.isRecord()
                    || owner.isEnum()
                    || owner.isInnerClass()
                    || owner.isAnonymousClass()
                    || owner.isLocalClass());
        int count = unit.getRawParameterTypes().size();
        if (!synthetic && count > max) {
          events.add(
              SimpleConditionEvent.violated(
                  unit, unit.getFullName() + " takes " + count + " parameters"));
        }
      }
    };
  }
}
