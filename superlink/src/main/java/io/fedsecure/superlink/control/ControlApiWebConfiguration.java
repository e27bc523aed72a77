package io.fedsecure.superlink.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.fedsecure.superlink.config.SuperLinkProperties;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.protobuf.ProtobufJsonFormatHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Control API infrastructure shared by every controller under /v1 (nodes here, runs in the run
 * engine): protobuf messages as canonical JSON, the operator check and the body cap on all paths.
 */
@Configuration(proxyBeanMethods = false)
public class ControlApiWebConfiguration implements WebMvcConfigurer {

  /**
   * Controllers return and accept generated protobuf messages; they travel as protobuf's canonical
   * JSON. Only JSON is offered: binary protobuf would otherwise win content negotiation for clients
   * that send {@code Accept: *}{@code /*}.
   */
  @Bean
  ProtobufJsonFormatHttpMessageConverter protobufJsonHttpMessageConverter() {
    ProtobufJsonFormatHttpMessageConverter converter =
        new ProtobufJsonFormatHttpMessageConverter(
            JsonFormat.parser(), JsonFormat.printer().alwaysPrintFieldsWithNoPresence());
    converter.setSupportedMediaTypes(List.of(MediaType.APPLICATION_JSON));
    return converter;
  }

  @Override
  public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
    configurer.defaultContentType(MediaType.APPLICATION_JSON);
  }

  @Bean
  FilterRegistrationBean<OperatorCertificateFilter> operatorCertificateFilter(
      SuperLinkProperties properties, ObjectMapper json) {
    FilterRegistrationBean<OperatorCertificateFilter> registration =
        new FilterRegistrationBean<>(new OperatorCertificateFilter(properties.insecure(), json));
    // Every path of the Control API's port, not only /v1/**: nothing there is for non-operators.
    registration.addUrlPatterns("/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
      SuperLinkProperties properties, ObjectMapper json) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestBodyLimitFilter(properties.controlApi().maxRequestBody().toBytes(), json));
    registration.addUrlPatterns("/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }
}
