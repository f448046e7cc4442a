use http::{
    HeaderMap, HeaderValue, Request, Response,
    header::{ACCEPT, CONTENT_TYPE, HeaderName},
};
use http_body_util::BodyExt;
use js_sys::{Array, Uint8Array};
use tonic::body::Body;
use wasm_bindgen::JsValue;
use web_sys::{Headers, RequestCredentials, RequestInit};

use crate::{
    Error, ResponseBody, content_type::Encoding, fetch::fetch, options::FetchOptions,
};

pub async fn call(
    mut base_url: String,
    request: Request<Body>,
    options: FetchOptions,
) -> Result<Response<ResponseBody>, Error> {
    base_url.push_str(&request.uri().to_string());

    let headers = prepare_headers(request.headers())?;
    let body = prepare_body(request).await?;

    let request = prepare_request(&base_url, headers, body)?;
    let (init, abort) = options.request_init()?;
    let response = fetch(&request, &init).await?;

    let status = response.status();
    let mut headers = response_headers(&response)?;
    // (Patched) tonic reads `grpc-status-details-bin` from these with `expect`.
    crate::frame::drop_unreadable_status_details(&mut headers);

    // (Patched) Anything but gRPC-Web (a proxy's HTML error page, a web server's 404, plain
    // text) is refused here with its HTTP status, before its body is read.
    // A `grpc-status` header is a gRPC answer (trailers-only) whatever the content type says.
    let status_in_headers = headers.contains_key("grpc-status");
    let content_type = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let content_type = match content_type {
        Some(value) if Encoding::from_content_type(value).is_ok() => value.to_owned(),
        _ if status_in_headers => "application/grpc-web".to_owned(),
        other => {
            return Err(Error::NotGrpcWeb {
                status,
                content_type: other.map(|value| value.chars().take(100).collect()),
            });
        }
    };
    let body_stream = response.body().ok_or(Error::MissingResponseBody)?;

    let body = ResponseBody::new(body_stream, &content_type, status_in_headers, abort)?;

    let mut result = Response::builder().status(status).body(body)?;
    *result.headers_mut() = headers;
    Ok(result)
}

fn prepare_headers(header_map: &HeaderMap<HeaderValue>) -> Result<Headers, Error> {
    // Construct default headers.
    let headers = Headers::new().map_err(Error::js_error)?;
    headers
        .append(CONTENT_TYPE.as_str(), "application/grpc-web+proto")
        .map_err(Error::js_error)?;
    headers
        .append(ACCEPT.as_str(), "application/grpc-web+proto")
        .map_err(Error::js_error)?;
    headers.append("x-grpc-web", "1").map_err(Error::js_error)?;

    // Apply default headers.
    for (header_name, header_value) in header_map.iter() {
        // Allow default headers to be overridden except for `content-type`.
        if header_name != CONTENT_TYPE {
            headers
                .set(header_name.as_str(), header_value.to_str()?)
                .map_err(Error::js_error)?;
        }
    }

    Ok(headers)
}

async fn prepare_body(request: Request<Body>) -> Result<Option<JsValue>, Error> {
    let body = Some(request.collect().await?.to_bytes());
    Ok(body.map(|bytes| Uint8Array::from(bytes.as_ref()).into()))
}

fn prepare_request(
    url: &str,
    headers: Headers,
    body: Option<JsValue>,
) -> Result<web_sys::Request, Error> {
    let init = RequestInit::new();

    init.set_method("POST");
    init.set_headers(headers.as_ref());
    if let Some(ref body) = body {
        init.set_body(body);
    }
    init.set_credentials(RequestCredentials::SameOrigin);

    web_sys::Request::new_with_str_and_init(url, &init).map_err(Error::js_error)
}

/// The response's headers. Names and values fetch gives are valid HTTP; one that is not is
/// skipped rather than failing the call.
fn response_headers(response: &web_sys::Response) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let header_iter = js_sys::try_iter(response.headers().as_ref()).map_err(Error::js_error)?;
    for header in header_iter.into_iter().flatten() {
        let pair: Array = header.map_err(Error::js_error)?.into();
        let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
            continue;
        };
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            headers.append(name, value);
        }
    }
    Ok(headers)
}
