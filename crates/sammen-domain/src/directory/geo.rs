//! Distances on the map, in metres between WGS84 points.
//!
//! The equirectangular approximation: a degree of latitude is a fixed length and a degree of
//! longitude shrinks with the cosine of the latitude. It is cheap enough to compute in SQL, so
//! the search (`GET /activities?lat=&lon=`) and the coverage report measure alike. With these
//! constants (the degree lengths at the equator) distances in Denmark come out up to about 0.7 %
//! short of the true ones (a degree of latitude there is about 111.3 km): 7 m on a kilometre.

/// Metres per degree of latitude (at the equator).
pub const METRES_PER_DEGREE_LAT: f64 = 110_574.0;
/// Metres per degree of longitude at the equator; multiply by the cosine of the latitude.
pub const METRES_PER_DEGREE_LON_AT_EQUATOR: f64 = 111_320.0;

/// The straight-line ("as the crow flies") distance in metres from `from` to `to`, each
/// `(lat, lon)`, with the longitude scale taken at `from`'s latitude (as the search does around
/// its centre point).
pub fn straight_line_m(from: (f64, f64), to: (f64, f64)) -> f64 {
    let dy = (to.0 - from.0) * METRES_PER_DEGREE_LAT;
    let dx = (to.1 - from.1) * METRES_PER_DEGREE_LON_AT_EQUATOR * from.0.to_radians().cos();
    (dy * dy + dx * dx).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_match_known_ones_in_copenhagen() {
        // Within 1 % of the great-circle (haversine) distance: Nørreport to Rådhuspladsen
        // (822 m), and 5 km across the city (5,025 m).
        for (from, to, haversine) in
            [((55.6833, 12.5713), (55.6761, 12.5683), 822.4), ((55.70, 12.50), (55.73, 12.56), 5025.2)]
        {
            let d = straight_line_m(from, to);
            assert!((d - haversine).abs() / haversine < 0.01, "{d} vs {haversine}");
        }
        // One kilometre due north, and one due east.
        assert!((straight_line_m((55.7, 12.5), (55.7 + 1000.0 / METRES_PER_DEGREE_LAT, 12.5)) - 1000.0).abs() < 1e-6);
        let east = 1000.0 / (METRES_PER_DEGREE_LON_AT_EQUATOR * 55.7_f64.to_radians().cos());
        assert!((straight_line_m((55.7, 12.5), (55.7, 12.5 + east)) - 1000.0).abs() < 1e-6);
        assert_eq!(straight_line_m((55.7, 12.5), (55.7, 12.5)), 0.0);
    }
}
