//! Distances on the map, in metres between WGS84 points.
//!
//! The equirectangular approximation around a point: near it, a degree of latitude and a degree
//! of longitude are fixed lengths, taken at its latitude from the WGS84 ellipsoid. It is cheap
//! enough to compute in SQL (the two lengths are bound as numbers), so the search
//! (`GET /activities?lat=&lon=`) and the coverage report measure alike; within a few kilometres in
//! Denmark it is within 0.1 % of the great-circle distance.

/// Metres per degree of latitude at latitude `lat` (degrees), on the WGS84 ellipsoid.
pub fn metres_per_degree_lat(lat: f64) -> f64 {
    let phi = lat.to_radians();
    111_132.954 - 559.822 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos()
}

/// Metres per degree of longitude at latitude `lat` (degrees), on the WGS84 ellipsoid.
pub fn metres_per_degree_lon(lat: f64) -> f64 {
    let phi = lat.to_radians();
    111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos()
}

/// The straight-line ("as the crow flies") distance in metres from `from` to `to`, each
/// `(lat, lon)`, with the degree lengths taken at `from`'s latitude (as the search does around
/// its centre point).
pub fn straight_line_m(from: (f64, f64), to: (f64, f64)) -> f64 {
    let dy = (to.0 - from.0) * metres_per_degree_lat(from.0);
    let dx = (to.1 - from.1) * metres_per_degree_lon(from.0);
    (dy * dy + dx * dx).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_match_known_ones_in_copenhagen() {
        // Within 0.1 % of the geodesic distance on the WGS84 ellipsoid (Vincenty): Nørreport to Rådhuspladsen
        // (824 m), and 5 km across the city (5,038 m).
        for (from, to, geodesic) in
            [((55.6833, 12.5713), (55.6761, 12.5683), 823.5), ((55.70, 12.50), (55.73, 12.56), 5037.6)]
        {
            let d = straight_line_m(from, to);
            assert!((d - geodesic).abs() / geodesic < 0.001, "{d} vs {geodesic}");
        }
        // One kilometre due north, and one due east.
        assert!(
            (straight_line_m((55.7, 12.5), (55.7 + 1000.0 / metres_per_degree_lat(55.7), 12.5)) - 1000.0).abs() < 1e-6
        );
        let east = 1000.0 / metres_per_degree_lon(55.7);
        assert!((straight_line_m((55.7, 12.5), (55.7, 12.5 + east)) - 1000.0).abs() < 1e-6);
        assert_eq!(straight_line_m((55.7, 12.5), (55.7, 12.5)), 0.0);
    }
}
